// The process engine's worker processes: each a forked child on a socketpair, in a process group
// of its own, running WorkerMain with a record buffer it shares with the parent (one per slot,
// kept for the slot's replacements); the set starts and reaps them.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "concbench/task_record.hpp"
#include "concbench/workload.hpp"
#include "engines/process_batch.hpp"
#include "engines/process_worker.hpp"
#include "engines/record_buffer.hpp"
#include "util/os.hpp"
#include "util/pss.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {

// One worker process and the batch it was sent; pid -1 for an empty slot.
struct Worker {
  pid_t pid = -1;
  int fd = -1;                                  // the parent's end of the socketpair
  TaskBatch batch;                              // the tasks it was sent last
  std::size_t recorded = 0;                     // how many of them have their record
  TaskRecord::Clock::time_point running_since;  // when its running task began
  RecordReader reader;                          // its slot's record buffer, the parent's side

  bool busy() const { return recorded < batch.count; }
  // The task it runs now, when busy().
  std::size_t running() const { return batch.first + recorded; }
};

// The live workers of one run. Every worker it started is reaped by Reap() or the destructor
// (which kills those still alive first). Not thread-safe: one thread of the parent uses it.
class WorkerSet {
 public:
  // `stop_fd` is polled for stop requests; `stop_write_fd` is its other end, closed in workers.
  // `sampler`, when given, counts each worker's memory from its start until it is reaped.
  WorkerSet(const Workload& workload, int stop_fd, int stop_write_fd, SeededChoice crash,
            PssSampler* sampler = nullptr)
      : workload_(workload),
        stop_fd_(stop_fd),
        stop_write_fd_(stop_write_fd),
        crash_(crash),
        sampler_(sampler) {}
  WorkerSet(const WorkerSet&) = delete;
  WorkerSet& operator=(const WorkerSet&) = delete;
  ~WorkerSet();

  std::vector<Worker>& workers() { return workers_; }
  int stop_fd() const { return stop_fd_; }
  // What the reaped workers used, with the commands their tasks started.
  const ResourceUsage& usage() const { return usage_; }

  // Counts each live worker's memory in `sampler` from now on, or stops counting them (null).
  void set_sampler(PssSampler* sampler);

  // Starts workers in slots 0 .. count - 1 and waits until each is ready for its first batch
  // (forked, after_fork done, reading its socket). Returns "" or "could start only N of M
  // worker processes: why".
  std::string Start(unsigned count);

  // Starts a worker in slot `slot` (appending when slot == size) and waits until it is ready.
  // Returns "" or the error.
  std::string Spawn(std::size_t slot);

  // Tells a worker to end without waiting for it, so that several end at once: EOF on its
  // socket (an idle worker exits) or, with `kill`, SIGTERM to its process group. Reap waits.
  void Dismiss(Worker& worker, bool kill);

  // Ends a worker: closes its socket (an idle worker exits on EOF) or, with `kill_first`, sends
  // SIGTERM to its process group (the worker and the commands its task started). Waits for it,
  // adds its resource usage, ends what is left of its group, and returns how the worker ended.
  // The worker's batch and reader stay for the caller (the records it published stay readable in
  // the shared buffer); its pid and fd become -1.
  std::string Reap(Worker& worker, bool kill_first);

 private:
  // Forks a worker into slot `slot` without waiting for it; Ready waits for its ready byte.
  std::string Fork(std::size_t slot);
  std::string Ready(std::size_t slot);

  const Workload& workload_;
  int stop_fd_;
  int stop_write_fd_;
  SeededChoice crash_;
  PssSampler* sampler_;
  std::vector<Worker> workers_;
  std::vector<SharedRecordBuffer> buffers_;  // one per slot, mapped before its first fork
  ResourceUsage usage_;
};

}  // namespace concbench
