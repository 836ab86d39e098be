// Proportional set size (PSS): each resident page divided among the processes that map it, so
// that the pages a parent shares with its forked children count once over them all. Read from
// /proc/PID/smaps_rollup (Linux 4.14+).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "util/os.hpp"

namespace concbench {

// The "Pss:" figure of smaps_rollup text, in bytes; -1 when the text has none.
long ParsePssBytes(std::string_view smaps_rollup);

// The PSS of process `pid` (0: the calling process), in bytes; -1 when its smaps_rollup cannot
// be read (an older kernel, no permission, the process gone). Allocates nothing.
long ReadPssBytes(pid_t pid);

// Samples, every `interval` from a thread of its own, the PSS of the calling process plus that
// of the processes it is told of, and keeps the peak of the sum; less often when a sample takes
// longer than interval / 19 (large processes), so that sampling takes at most 5% of a core.
// Thread-safe. The thread starts with the sampler and is joined by Stop() or the destructor.
class PssSampler {
 public:
  explicit PssSampler(std::chrono::milliseconds interval);
  ~PssSampler();
  PssSampler(const PssSampler&) = delete;
  PssSampler& operator=(const PssSampler&) = delete;

  // Counts `pid` from now on; Remove stops counting it (before it is reaped, so that its pid is
  // not read once reused). A process whose smaps_rollup cannot be read counts as 0.
  void Add(pid_t pid);
  void Remove(pid_t pid);

  // Takes one sample now, in the calling thread.
  void SampleNow();

  // Joins the thread (idempotent). Returns the peak sum in bytes, or -1 when the calling
  // process's own PSS could not be read (then nothing was measured).
  long Stop();
  // What the sampler's thread used (CPU, context switches), once Stop() returned.
  const ResourceUsage& thread_usage() const { return thread_usage_; }

 private:
  void Loop(const std::stop_token& stop);

  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::vector<pid_t> pids_;
  long peak_ = 0;
  bool unreadable_ = false;
  ResourceUsage thread_usage_;  // written by the thread as it ends
  std::jthread thread_;         // last: started once the rest exists
};

}  // namespace concbench
