// The per-task record every engine returns: plain data, one per task, in task order.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace concbench {

enum class TaskStatus { kNotRun, kOk, kFailed, kCancelled };

std::string_view TaskStatusName(TaskStatus status);

// What the processes a task started and waited for used (the exec workload's commands), from
// wait4: they are not the harness's own CPU and memory, and are reported apart from them.
struct ProcessUsage {
  double user_seconds = 0;
  double system_seconds = 0;
  long peak_rss_bytes = 0;  // the largest peak of one process
  unsigned processes = 0;   // how many ended and were waited for
};

struct TaskRecord {
  using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: comparable across processes

  TaskStatus status = TaskStatus::kNotRun;
  std::string result;       // the task's answer when kOk, else the failure or cancel message
  Clock::time_point start;  // when the task body began (zero when never started)
  Clock::time_point end;    // when it returned or threw
  // Thread CPU time of a blocking-form body, recorded only when the run asked for it (--task-cpu)
  // or the workload does (Workload::wants_task_cpu); absent otherwise and for awaitable bodies.
  std::optional<double> cpu_seconds;
  long worker = 0;        // OS thread id (or worker process id) that ran the body
  ProcessUsage commands;  // the processes the body started (Workload::command_usage)

  double seconds() const { return std::chrono::duration<double>(end - start).count(); }
};

}  // namespace concbench
