#include "engines/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "workloads/forwarding.hpp"

namespace concbench {
namespace {

// `inner` as it is, except that it wants its tasks' CPU time recorded (--task-cpu).
class TaskCpuWorkload : public ForwardingWorkload {
 public:
  using ForwardingWorkload::ForwardingWorkload;
  bool wants_task_cpu() const override { return true; }
};

}  // namespace

struct RunControl::Watcher {
  std::mutex mutex;
  std::condition_variable wake;
  bool done = false;
  std::thread thread;
};

RunControl::RunControl(std::stop_token caller, const RunLimits& limits,
                       std::atomic<std::size_t>* finished)
    : limits_(limits),
      finished_(finished),
      follow_caller_(std::move(caller), std::function<void()>([this] { source_.request_stop(); })) {
  if (!limits_.timeout) return;
  auto deadline = std::chrono::steady_clock::now() + *limits_.timeout;
  watcher_ = std::make_unique<Watcher>();
  watcher_->thread = std::thread([this, deadline] {
    std::unique_lock lock(watcher_->mutex);
    if (!watcher_->wake.wait_until(lock, deadline, [this] { return watcher_->done; })) {
      end(EndedBy::kTimeout);
    }
  });
}

RunControl::~RunControl() {
  if (!watcher_) return;
  {
    std::lock_guard lock(watcher_->mutex);
    watcher_->done = true;
  }
  watcher_->wake.notify_one();
  watcher_->thread.join();
}

void RunControl::finished(TaskStatus status) {
  if (finished_ != nullptr) finished_->fetch_add(1, std::memory_order_relaxed);
  bool ended = status == TaskStatus::kOk || status == TaskStatus::kFailed;
  if (limits_.return_when == ReturnWhen::kFirstCompleted && ended) end(EndedBy::kFirstCompleted);
  if (limits_.return_when == ReturnWhen::kFirstException && status == TaskStatus::kFailed) {
    end(EndedBy::kFirstException);
  }
}

void RunControl::finished_many(std::size_t count) {
  if (finished_ != nullptr) finished_->fetch_add(count, std::memory_order_relaxed);
}

void RunControl::end(EndedBy reason) {
  if (source_.stop_requested()) return;  // already stopping, by the caller or another reason
  EndedBy none = EndedBy::kNone;
  ended_by_.compare_exchange_strong(none, reason);
  source_.request_stop();
}

std::string_view EndedByName(EndedBy reason) {
  switch (reason) {
    case EndedBy::kNone:
      return "";
    case EndedBy::kTimeout:
      return "timeout";
    case EndedBy::kFirstCompleted:
      return ReturnWhenName(ReturnWhen::kFirstCompleted);
    case EndedBy::kFirstException:
      return ReturnWhenName(ReturnWhen::kFirstException);
  }
  return "";
}

void Engine::prepare(const Workload& workload, bool caller_concludes) {
  prepared_records_.clear();
  prepared_records_.resize(workload.task_count());
  caller_concludes_ = caller_concludes;
  prepare_run(as_run(workload));
}

void Engine::conclude(EngineRun& run) { conclude_run(run); }

const Workload& Engine::as_run(const Workload& workload) {
  if (!limits_.task_cpu || workload.wants_task_cpu()) return workload;
  if (with_cpu_ == nullptr || with_cpu_of_ != &workload) {
    with_cpu_ = std::make_unique<TaskCpuWorkload>(workload);
    with_cpu_of_ = &workload;
  }
  return *with_cpu_;
}

std::vector<TaskRecord> Engine::take_records(const Workload& workload) {
  std::vector<TaskRecord> records = std::move(prepared_records_);
  prepared_records_.clear();
  if (records.size() != workload.task_count()) {
    records.clear();
    records.resize(workload.task_count());
  }
  return records;
}

EngineRun Engine::run(const Workload& workload, std::stop_token stop) {
  bool caller_concludes = std::exchange(caller_concludes_, false);
  std::optional<RunControl> control;
  try {
    finished_.store(0, std::memory_order_relaxed);
    control.emplace(std::move(stop), limits_, &finished_);
  } catch (const std::system_error& e) {  // the deadline's thread (--timeout) was refused
    EngineRun run;
    run.records.resize(workload.task_count());
    run.error = fmt::format("--timeout: the OS refused the deadline's thread ({}); see ulimit -u",
                            e.code().message());
    return run;
  }
  EngineRun run = run_tasks(as_run(workload), *control);
  run.ended_by = control->ended_by();
  if (!caller_concludes) conclude_run(run);
  for (std::size_t i = 0; i < run.commands.size(); ++i) {
    workload.take_command_usage(i, run.commands[i]);
  }
  return run;
}

nlohmann::json Engine::parameters() const {
  // The limits appear only when set, so results without them keep their names and labels.
  nlohmann::json params = own_parameters();
  if (limits_.timeout) params["timeout"] = FormatDuration(*limits_.timeout);
  if (limits_.task_cpu) params["task_cpu"] = true;
  if (limits_.return_when != ReturnWhen::kAll) {
    params["return_when"] = ReturnWhenName(limits_.return_when);
  }
  return params;
}

std::string CannotRun(const Workload& workload, const Engine& engine) {
  TaskNeeds needs = workload.needs();
  if (needs.python_only && engine.language() != "Python") {
    return "its tasks are Python functions, which only the Python engines (py-*) run";
  }
  if (std::string why = engine.refuses(workload); !why.empty()) return why;
  if (!needs.shared_memory.empty() && engine.task_memory() != Engine::TaskMemory::kShared) {
    return fmt::format("its tasks would run in worker processes, which share no {}",
                       needs.shared_memory);
  }
  if (!needs.inherited_memory.empty() && engine.task_memory() == Engine::TaskMemory::kSeparate) {
    return fmt::format(
        "its tasks share the {} with the harness through memory a forked worker inherits, and "
        "{}'s tasks run in processes of their own",
        needs.inherited_memory, engine.name());
  }
  unsigned lanes = engine.lanes(workload);
  if (needs.at_once > lanes) {
    return fmt::format(
        "{}, but {} runs {} at a time; use an engine with enough lanes (thread, asio, pool "
        "--workers {}){}",
        needs.at_once_reason, engine.name(), lanes, needs.at_once,
        needs.at_once_remedy.empty() ? "" : " or " + needs.at_once_remedy);
  }
  return "";
}

double EarlyEndFloor(const EngineRun& run, const RunLimits& limits, double floor) {
  if (run.ended_by == EndedBy::kTimeout && limits.timeout) {
    return std::min(floor, std::chrono::duration<double>(*limits.timeout).count());
  }
  if (run.ended_by == EndedBy::kFirstCompleted || run.ended_by == EndedBy::kFirstException) {
    TaskStatus wanted =
        run.ended_by == EndedBy::kFirstCompleted ? TaskStatus::kOk : TaskStatus::kFailed;
    double first = floor;
    for (const TaskRecord& record : run.records) {
      if (record.status == wanted ||
          (wanted == TaskStatus::kOk && record.status == TaskStatus::kFailed)) {
        first = std::min(first, record.seconds());
      }
    }
    return first;
  }
  return floor;
}

std::vector<ParamSpec> RunLimitParams() {
  return {
      {"timeout", ParamType::kDuration, "",
       "the run's deadline: tasks not finished by then are cancelled (running) or dropped "
       "(pending)"},
      {"return-when",
       ParamType::kChoice,
       "all",
       "end the run when all tasks finished, at the first completed task, or at the first "
       "failed one (the rest cancelled or dropped)",
       {std::begin(kReturnWhenNames), std::end(kReturnWhenNames)}},
      {"task-cpu", ParamType::kFlag, "false",
       "record each task's thread CPU time (two more system calls a task, about 1-2 us)"},
  };
}

RunLimits ReadRunLimits(const Params& params) {
  RunLimits limits;
  if (params.has("timeout")) limits.timeout = params.duration("timeout");
  if (params.has("return-when")) {
    const std::string& when =
        params.choice("return-when", {std::begin(kReturnWhenNames), std::end(kReturnWhenNames)});
    auto found = std::find(std::begin(kReturnWhenNames), std::end(kReturnWhenNames), when);
    limits.return_when = static_cast<ReturnWhen>(found - std::begin(kReturnWhenNames));
  }
  limits.task_cpu = params.flag("task-cpu");
  return limits;
}

void RecordFailure(TaskRecord& record, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TaskCancelled& e) {
    record.status = TaskStatus::kCancelled;
    record.result = e.what();
  } catch (const std::exception& e) {
    record.status = TaskStatus::kFailed;
    record.result = e.what();
  } catch (...) {
    record.status = TaskStatus::kFailed;
    record.result = "unknown exception";
  }
}

void RunTaskInto(TaskRecord& record, const Workload& workload, std::size_t index,
                 const std::stop_token& stop, ProcessUsage* commands) {
  record.worker = CurrentWorkerId();
  if (stop.stop_requested()) {
    record.status = TaskStatus::kNotRun;
    return;
  }
  bool task_cpu = workload.wants_task_cpu();
  double cpu_before = task_cpu ? ThreadCpuSeconds() : 0;
  record.start = TaskRecord::Clock::now();
  try {
    record.result = workload.run_blocking(index, stop);
    record.status = TaskStatus::kOk;
  } catch (...) {
    RecordFailure(record, std::current_exception());
  }
  record.end = TaskRecord::Clock::now();
  if (task_cpu) record.cpu_seconds = ThreadCpuSeconds() - cpu_before;
  if (commands == nullptr) return;
  try {  // nothing may escape: the caller is often a thread's body
    *commands = workload.command_usage(index);
  } catch (...) {
    RecordFailure(record, std::current_exception());
  }
}

TaskRecord RunTaskBlocking(const Workload& workload, std::size_t index, const std::stop_token& stop,
                           ProcessUsage* commands) {
  TaskRecord record;
  RunTaskInto(record, workload, index, stop, commands);
  return record;
}

std::vector<ProcessUsage> CommandSlots(const Workload& workload) {
  if (!workload.starts_commands()) return {};
  return std::vector<ProcessUsage>(workload.task_count());
}

}  // namespace concbench
