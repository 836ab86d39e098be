// The one interface every engine implements, and the helpers engines share.
//
// An engine decides only where and when a workload's tasks run. run() runs every task once and
// returns one record per task, in task order; a failed task is recorded, never thrown.
#pragma once

#include <cstddef>
#include <exception>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/task_record.hpp"
#include "workloads/workload.hpp"

namespace concbench {

// Resources used by helper processes of a run (the process engine's workers), which the
// harness cannot see from its own getrusage(RUSAGE_SELF).
struct ChildUsage {
  double user_seconds = 0;
  double system_seconds = 0;
  long peak_rss_bytes = 0;  // sum of each helper's peak: they run side by side
  long voluntary_switches = 0;
  long involuntary_switches = 0;
};

struct EngineRun {
  std::vector<TaskRecord> records;  // task_count() records, in task order
  std::string error;                // set when the engine itself could not go on
  ChildUsage children;
};

class Engine {
 public:
  virtual ~Engine() = default;

  virtual std::string_view name() const = 0;

  // Runs every task of `workload` once. When `stop` is requested, running tasks are told to
  // stop and tasks not yet started are left kNotRun; run() then returns promptly.
  virtual EngineRun run(const Workload& workload, std::stop_token stop) = 0;

  // How many of `workload`'s tasks can make progress at once on this engine.
  virtual unsigned lanes(const Workload& workload) const = 0;

  // Every parameter this engine was made with, for the results file.
  virtual nlohmann::json parameters() const = 0;
};

// Runs task `index` in the calling thread and records its outcome, timing, CPU and thread.
TaskRecord RunTaskBlocking(const Workload& workload, std::size_t index, std::stop_token stop);

// Records the exception `error` thrown by a task body as kCancelled or kFailed with its message.
void RecordFailure(TaskRecord& record, std::exception_ptr error);

// The current thread's OS id, as recorded in TaskRecord::worker.
long CurrentWorkerId();

// CPU time consumed so far by the calling thread, in seconds.
double ThreadCpuSeconds();

}  // namespace concbench
