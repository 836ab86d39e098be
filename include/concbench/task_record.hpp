// The per-task record every engine returns: plain data, one per task, in task order.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace concbench {

enum class TaskStatus : std::uint8_t { kNotRun, kOk, kFailed, kCancelled };

std::string_view TaskStatusName(TaskStatus status);

// What the processes a task started and waited for used (the exec workload's commands), from
// wait4: they are not the harness's own CPU and memory, and are reported apart from them.
struct ProcessUsage {
  double user_seconds = 0;
  double system_seconds = 0;
  long peak_rss_bytes = 0;  // the largest peak of one process
  unsigned processes = 0;   // how many ended and were waited for
};

// A number of seconds that may be absent, in 8 bytes: std::optional<double>'s interface (the
// part records use), absent held as NaN. Assigning NaN makes it absent.
class OptionalSeconds {
 public:
  constexpr OptionalSeconds() = default;
  constexpr OptionalSeconds(std::nullopt_t) {}
  constexpr OptionalSeconds(double seconds) : seconds_(seconds) {}

  OptionalSeconds& operator=(std::nullopt_t) {
    reset();
    return *this;
  }
  OptionalSeconds& operator=(double seconds) {
    seconds_ = seconds;
    return *this;
  }

  bool has_value() const { return !std::isnan(seconds_); }
  explicit operator bool() const { return has_value(); }
  // The seconds; throws std::bad_optional_access when absent.
  double value() const {
    if (!has_value()) throw std::bad_optional_access();
    return seconds_;
  }
  double value_or(double absent) const { return has_value() ? seconds_ : absent; }
  // The seconds; only when present (as std::optional's).
  double operator*() const { return seconds_; }
  void reset() { seconds_ = std::numeric_limits<double>::quiet_NaN(); }

 private:
  double seconds_ = std::numeric_limits<double>::quiet_NaN();
};

// 64 bytes, so that a run of N tasks holds 64 × N bytes of records. What a task's commands used
// (Workload::command_usage) travels apart, in EngineRun::commands, for the workloads that start
// commands.
struct TaskRecord {
  using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: comparable across processes

  std::string result;       // the task's answer when kOk, else the failure or cancel message
  Clock::time_point start;  // when the task body began (zero when never started)
  Clock::time_point end;    // when it returned or threw
  // Thread CPU time of a blocking-form body, recorded only when the run asked for it (--task-cpu)
  // or the workload does (Workload::wants_task_cpu); absent otherwise and for awaitable bodies.
  OptionalSeconds cpu_seconds;
  // OS thread id (or worker process id, or MPI rank) that ran the body: Linux's fit in 32 bits.
  std::int32_t worker = 0;
  TaskStatus status = TaskStatus::kNotRun;

  double seconds() const { return std::chrono::duration<double>(end - start).count(); }
};

static_assert(sizeof(TaskRecord) <= 64, "a task's record stays within 64 bytes");

}  // namespace concbench
