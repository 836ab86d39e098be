// The one interface every engine implements, and the helpers engines share.
//
// An engine decides only where and when a workload's tasks run. run() runs every task once and
// returns one record per task, in task order; a failed task is recorded, never thrown.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/task_record.hpp"
#include "concbench/workload.hpp"
#include "engines/recipe.hpp"
#include "util/os.hpp"

namespace concbench {

// Why a run ended before every task finished, as planned (--timeout, --return-when).
enum class EndedBy { kNone, kTimeout, kFirstCompleted, kFirstException };

// "timeout", "first-completed" or "first-exception" (as --return-when spells them); "" for kNone.
std::string_view EndedByName(EndedBy reason);

struct EngineRun {
  std::vector<TaskRecord> records;  // task_count() records, in task order
  // What each task's commands used (Workload::command_usage), in task order: task_count() of
  // them when the workload starts_commands(), else none. Zeros for a task that did not run.
  std::vector<ProcessUsage> commands;
  std::string error;  // set when the engine itself could not go on
  // Resources used by helper processes of the run (the process engine's workers), which the
  // harness cannot see from its own getrusage(RUSAGE_SELF); peak_rss_bytes sums their peaks.
  ResourceUsage children;
  // For tasks in forked processes: the peak, sampled from the run's start until its workers end
  // (the last sample taken as the run concludes, before they do), of the harness's PSS plus its
  // live workers' (shared pages counted once), in bytes; -1 when not measured.
  long peak_pss_bytes = -1;
  bool pss_unreadable = false;  // PSS was to be sampled, but smaps_rollup could not be read
  // What measuring the run used in the harness's own process (the memory sampler's thread): the
  // harness leaves it out of the run's CPU and context switches.
  ResourceUsage measuring;
  // Why the run ended before every task finished, as planned; its cancelled and pending tasks
  // are then expected, not failures. kNone when every task ran (or the caller's stop ended it).
  EndedBy ended_by = EndedBy::kNone;
  // The engine's own figures of this run, untimed work included (e.g. a Python interpreter's
  // start-up before the clock): a flat object of numbers, reported beside the workload's metrics.
  nlohmann::json metrics = nlohmann::json::object();
};

// When a run ends early by design (--timeout, --return-when), common to every engine.
enum class ReturnWhen { kAll, kFirstCompleted, kFirstException };

// --return-when's names, in ReturnWhen's order: the one list of them.
inline constexpr std::string_view kReturnWhenNames[] = {"all", "first-completed",
                                                        "first-exception"};
inline std::string_view ReturnWhenName(ReturnWhen when) {
  return kReturnWhenNames[static_cast<int>(when)];
}

struct RunLimits {
  std::optional<Duration> timeout;  // the run's deadline, from the start of run()
  ReturnWhen return_when = ReturnWhen::kAll;
  // Record every task's thread CPU time (--task-cpu), even when the workload does not want it.
  bool task_cpu = false;
};

// One run's stop signal and task accounting, shared by Engine::run and an engine's run_tasks.
// Its token is requested when the caller's token is, at the deadline, or when return-when is
// met. Thread-safe.
class RunControl {
 public:
  // `finished`, when given, counts the tasks finished (for progress displays).
  RunControl(std::stop_token caller, const RunLimits& limits,
             std::atomic<std::size_t>* finished = nullptr);
  ~RunControl();
  RunControl(const RunControl&) = delete;
  RunControl& operator=(const RunControl&) = delete;

  // The token tasks and the engine honour.
  std::stop_token token() const { return source_.get_token(); }
  bool stop_requested() const { return source_.stop_requested(); }
  // Engines call this once per task that finished, never for a kNotRun record.
  void finished(TaskStatus status);
  // True when each finished task must be reported on its own, as it ends (--return-when).
  bool reports_each() const { return limits_.return_when != ReturnWhen::kAll; }
  // Reports `count` finished tasks at once, in place of `count` finished() calls; only when
  // !reports_each() (the count of tasks finished is then all they change).
  void finished_many(std::size_t count);
  // Ends the run early with `reason` (see EngineRun::ended_by); the first reason wins.
  void end(EndedBy reason);
  // The reason the run was ended early, or kNone (also when the caller stopped it).
  EndedBy ended_by() const { return ended_by_.load(); }

 private:
  struct Watcher;
  RunLimits limits_;
  std::atomic<std::size_t>* finished_;
  std::stop_source source_;
  std::stop_callback<std::function<void()>> follow_caller_;
  std::atomic<EndedBy> ended_by_{EndedBy::kNone};
  std::unique_ptr<Watcher> watcher_;  // the deadline thread, with a timeout only
};

class Engine {
 public:
  virtual ~Engine() = default;

  virtual std::string_view name() const = 0;

  // Runs every task of `workload` once. When `stop` is requested, running tasks are told to
  // stop and tasks not yet started are left kNotRun; run() then returns promptly. The engine's
  // limits (--timeout, --return-when) end the run the same way, recorded in `ended_by`.
  EngineRun run(const Workload& workload, std::stop_token stop);

  // Called by the harness before each run() of `workload`, untimed, after its begin_run: makes
  // the run's records (allocated and written, so that run() neither allocates nor faults their
  // pages in), then calls prepare_run. With `caller_concludes`, the next run() leaves its
  // conclusion to the caller, who must call conclude() on what it returned (else the next
  // prepare() or the destructor ends what the run left, unmeasured).
  void prepare(const Workload& workload, bool caller_concludes = false);

  // Called by the harness right after the clock stopped on a run() it said it would conclude,
  // untimed, before it reads `run.children`, `run.measuring` or the run's memory: ends what the
  // run left (the process engine's idle workers: their last memory sample, then dismissed and
  // reaped) and adds what that measured to `run`. run() concludes itself when no prepare() said
  // the caller would. A second call does nothing.
  void conclude(EngineRun& run);

  // The language the tasks run in: "C++", or "Python" for the py-* engines.
  virtual std::string_view language() const { return "C++"; }

  // Why this engine cannot run `workload` beyond what CannotRun checks for every engine (the
  // Python engines: a workload without a Python form, a module that does not import), or "".
  virtual std::string refuses(const Workload& /*workload*/) const { return ""; }

  // How many of `workload`'s tasks can make progress at once on this engine.
  virtual unsigned lanes(const Workload& workload) const = 0;

  // Where tasks run, as far as memory goes: in the harness's process (kShared); in worker
  // processes forked from it, each on a copy of its memory made at the fork (kForkedCopy); in
  // processes of their own that share nothing with it (kSeparate: mpi's ranks).
  enum class TaskMemory { kShared, kForkedCopy, kSeparate };
  virtual TaskMemory task_memory() const { return TaskMemory::kShared; }

  // Every parameter this engine was made with, for the results file (the limits only when set).
  nlohmann::json parameters() const;

  void set_limits(const RunLimits& limits) { limits_ = limits; }
  const RunLimits& limits() const { return limits_; }

  // How the workloads given to run() were made (see WorkloadRecipe).
  void set_recipe(WorkloadRecipe recipe) { recipe_ = std::move(recipe); }
  const WorkloadRecipe& recipe() const { return recipe_; }

  // Tasks finished so far in the run under way (or the last one); any thread may read it while
  // run() goes on, for progress.
  std::size_t tasks_finished() const { return finished_.load(std::memory_order_relaxed); }

 protected:
  // Runs the tasks under `control`: honours control.token() and reports each finished task
  // with control.finished().
  virtual EngineRun run_tasks(const Workload& workload, RunControl& control) = 0;
  // The engine's own parameters (parameters() adds the limits).
  virtual nlohmann::json own_parameters() const = 0;
  // Readies what the run needs beyond its records (mpi: every rank makes its copy of the
  // workload and says it is ready), untimed. What fails here, run() reports. The default does
  // nothing.
  virtual void prepare_run(const Workload& /*workload*/) {}
  // Ends what run_tasks left running once every task had its record (kept running so that its
  // end falls outside the clock), and adds its figures to `run` (children); untimed when the
  // harness concludes. The default does nothing.
  virtual void conclude_run(EngineRun& /*run*/) {}
  // The run's records, one per task of `workload`, as prepare() made them when it did for this
  // many tasks; else made now (run() called without the harness).
  std::vector<TaskRecord> take_records(const Workload& workload);

 private:
  RunLimits limits_;
  WorkloadRecipe recipe_;
  std::atomic<std::size_t> finished_{0};
  std::vector<TaskRecord> prepared_records_;
  bool caller_concludes_ = false;  // the next run() leaves conclude_run to the caller
  // The workload given to run_tasks and prepare_run (`as_run`, wrapped to record each task's
  // CPU under --task-cpu), and the workload it wraps.
  const Workload& as_run(const Workload& workload);
  std::unique_ptr<Workload> with_cpu_;
  const Workload* with_cpu_of_ = nullptr;
};

// Why `engine` cannot run `workload` as made (it does not offer one of workload.needs()), or ""
// when it can.
std::string CannotRun(const Workload& workload, const Engine& engine);

// The floor of a run that `limits` may have ended early: an engine with no overhead would also
// stop at the deadline, or when the first task it completed was done. Else `floor` itself.
double EarlyEndFloor(const EngineRun& run, const RunLimits& limits, double floor);

// The parameters every engine takes: --timeout, --return-when and --task-cpu.
std::vector<ParamSpec> RunLimitParams();
// Reads them; throws ParamError naming the option.
RunLimits ReadRunLimits(const Params& params);

// Runs task `index` in the calling thread and records its outcome, timing and thread, and its
// thread CPU time when workload.wants_task_cpu(); when `commands` is given, what the task's
// commands used (Workload::command_usage) goes there. Whatever the workload throws is recorded
// as the task's failure. Without the CPU time it makes no system call (two vDSO clock reads).
TaskRecord RunTaskBlocking(const Workload& workload, std::size_t index, const std::stop_token& stop,
                           ProcessUsage* commands = nullptr);
// The same, written into `record`, which must be as default-constructed (a run's own slot: no
// copy of the record).
void RunTaskInto(TaskRecord& record, const Workload& workload, std::size_t index,
                 const std::stop_token& stop, ProcessUsage* commands = nullptr);

// The run's commands, sized for `workload` (see EngineRun::commands): empty unless it
// starts_commands().
std::vector<ProcessUsage> CommandSlots(const Workload& workload);
// Where task `index`'s command usage goes in a run's `commands`, or null when it keeps none.
inline ProcessUsage* CommandSlot(std::vector<ProcessUsage>& commands, std::size_t index) {
  return commands.empty() ? nullptr : &commands[index];
}
inline ProcessUsage* CommandSlot(EngineRun& run, std::size_t index) {
  return CommandSlot(run.commands, index);
}
// Reads task `index`'s command usage from `workload` into `run`, when the run keeps it; throws
// what the workload throws.
inline void CollectCommandUsage(const Workload& workload, std::size_t index, EngineRun& run) {
  if (ProcessUsage* slot = CommandSlot(run, index)) *slot = workload.command_usage(index);
}

// Records the exception `error` thrown by a task body as kCancelled or kFailed with its message.
void RecordFailure(TaskRecord& record, const std::exception_ptr& error);

}  // namespace concbench
