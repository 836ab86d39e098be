// The one interface every workload implements.
//
// A workload describes task_count() tasks, independent unless graph() says which tasks wait for
// which. Each task runs in a blocking form (for
// the sequential, thread, pool and process engines) and, for waiting workloads, in an awaitable
// form (for the asio engine); both honour `stop` at their waiting points and every few thousand
// iterations of CPU work by throwing TaskCancelled. A workload never knows which engine runs it.
#pragma once

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <exception>
#include <nlohmann/json.hpp>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/params.hpp"
#include "concbench/task_graph.hpp"
#include "concbench/task_record.hpp"
#include "concbench/wait_task.hpp"

namespace concbench {

// What bounds a task: waiting (it has a true awaitable form) or computing (blocking form only;
// an event loop either runs it inline, blocking the loop, or offloads it to a pool).
enum class TaskKind { kWait, kCompute };

// The moments around a point's runs (a point: one workload, engine and parameter set) at which
// the harness calls Workload::at_point_step: before its first run (warmups included), before and
// after each run, after its last run.
enum class PointStep { kSetup, kPrepare, kConclude, kCleanup };

// Thrown by a task body when it saw a stop request; engines record the task as cancelled.
struct TaskCancelled : std::exception {
  const char* what() const noexcept override { return "cancelled"; }
};

// What a workload needs from an engine, beyond running its tasks; CannotRun (engines/engine.hpp)
// checks it against what the engine offers, and the harness refuses or skips the pair.
struct TaskNeeds {
  // What the tasks share in the harness's memory (e.g. "queue"), or "" when nothing: tasks run
  // in separate processes would each work on their own copy.
  std::string shared_memory;
  // What the tasks share with the harness through memory a forked worker inherits (a MAP_SHARED
  // mapping, or a copy whose divergence is the lesson), or "": an engine whose tasks run in
  // processes of their own, not forked from the harness (mpi's ranks), cannot run them.
  std::string inherited_memory;
  // How many tasks must make progress at once (0: no need); fewer lanes would deadlock them.
  // `at_once_reason` says why; `at_once_remedy` is a way out other than more lanes, or "".
  std::size_t at_once = 0;
  std::string at_once_reason;
  std::string at_once_remedy;
  // The tasks are Python code (python_form), with no C++ form: only the Python engines run them.
  bool python_only = false;
};

class Workload {
 public:
  virtual ~Workload() = default;

  virtual std::string_view name() const = 0;
  virtual TaskKind kind() const = 0;
  virtual std::size_t task_count() const = 0;

  // True when task `index` blocks its thread even in its awaitable form: an event loop then
  // runs its blocking form inline (stalling the loop) or offloads it. Default: kCompute tasks.
  virtual bool blocks_thread(std::size_t /*index*/) const { return kind() == TaskKind::kCompute; }

  // The edges among the tasks (--pattern), or null when they are independent (the default).
  // Engines start a task only after every one of its inputs finished; a task whose input did not
  // finish kOk does not run (kCancelled, naming that input). Lives as long as the workload.
  virtual const TaskGraph* graph() const { return nullptr; }

  // What this workload, as made, needs from the engine that runs it. Default: nothing.
  virtual TaskNeeds needs() const { return {}; }

  // True when engines must record each blocking-form task's thread CPU time
  // (TaskRecord::cpu_seconds), e.g. for a floor made of it. That costs two clock_gettime system
  // calls per task (about 1-2 us), so the default is false: the run's --task-cpu asks for it too.
  virtual bool wants_task_cpu() const { return false; }

  // Runs task `index` in the calling thread and returns its answer as short text.
  // Throws TaskCancelled on a stop request, any other exception on failure. Thread-safe.
  virtual std::string run_blocking(std::size_t index, std::stop_token stop) const = 0;

  // Runs task `index` on the awaiting coroutine's executor without blocking its thread. The
  // default runs the blocking form inline, which blocks the loop; kWait workloads override it.
  virtual boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                        std::stop_token stop) const;

  // Task `index` as a WaitTask, concbench's own lean coroutine (see concbench/wait_task.hpp),
  // for workloads whose tasks only wait on timers (SleepFor): the asio engine then runs it
  // instead of run_async, at a fraction of the memory per waiting task. The default returns no
  // task (run_async is used). Overrides are coroutines with the same contract as run_async.
  virtual WaitTask run_wait(std::size_t /*index*/, std::stop_token /*stop*/) const { return {}; }

  // The tasks as the Python engines run them (python/concbench_python/tasks.py): {"form": NAME,
  // "tasks": [one argument per task], ...}, each task answering what run_blocking answers. Null
  // (the default) when the workload has no Python form: the Python engines refuse it.
  virtual nlohmann::json python_form() const { return nullptr; }

  // Called by the Python engines in the harness after each run of the Python form, before
  // end_run, with the state the form's tasks shared as the form reports it (tasks.py: a form's
  // state(), e.g. the counter's final value), or null. The default ignores it.
  virtual void take_python_state(const nlohmann::json& /*state*/) const {}

  // True when tasks start processes of their own (the exec workload's commands), whose usage
  // engines then collect (command_usage, EngineRun::commands). The default is false: engines
  // then keep no usage at all.
  virtual bool starts_commands() const { return false; }

  // What the processes task `index` started and waited for used in its latest run, or zeros.
  // Engines read it, when starts_commands(), right after the body returned or threw, in the
  // thread and process that ran it. The default returns zeros.
  virtual ProcessUsage command_usage(std::size_t /*index*/) const { return {}; }

  // Called by Engine::run in the harness after each run of a workload that starts_commands(),
  // once per task, with what the engine collected of task `index`'s commands wherever it ran
  // (a worker process, an MPI rank, the Python interpreter); zeros for a task that did not run.
  // Lets check and ideal_seconds read it. The default ignores it.
  virtual void take_command_usage(std::size_t /*index*/, const ProcessUsage& /*usage*/) const {}

  // Checks one completed task; returns an empty string when it passed, else why not.
  virtual std::string check(std::size_t index, const TaskRecord& record) const = 0;

  // Checks a whole run that completed at least one task, as a whole (e.g. a counter that lost
  // updates under a lock); returns "" when it passed, else why not. Called by the harness after
  // end_run with the same records, before the next begin_run. The default returns "".
  virtual std::string check_run(std::span<const TaskRecord> /*records*/) const { return ""; }

  // The physical floor of one run's completed tasks in seconds (records with status kOk: a task
  // that failed, was cancelled or never started did no work a floor may count) for `lanes`
  // tasks able to progress at once, on `cores` cores, given that run's records (one per task,
  // in task order). 0 when the workload defines no floor. See each workload for its formula.
  virtual double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                               unsigned cores) const = 0;

  // Every parameter this workload was made with, for the results file.
  virtual nlohmann::json parameters() const = 0;

  // Fork: an engine that runs tasks in forked worker processes (the process engine)
  // calls this in each worker, once, right after the fork and before the worker's first task.
  // The worker runs on a copy of the harness's memory: here a workload forgets what belongs to
  // the parent (sockets, connections) without closing it, and may note that its tasks now run
  // in a copy. Single-threaded. The default does nothing.
  virtual void after_fork() const {}

  // Called by the harness in its own process before each run of all tasks, untimed: resets
  // any state shared by the tasks (a counter, a queue). The default does nothing.
  virtual void begin_run() const {}

  // Called by the harness in its own process at `step` of a point, outside the clock: kSetup
  // once before the point's first run, kPrepare before each run's begin_run, kConclude after
  // each run's end_run, kCleanup once after its last run (and when a later step failed, once
  // kSetup passed; not after a stop). A workload shared by several points sees each point's
  // steps. Returns "" when all is well, else why not, naming the option: the harness then stops
  // the point (no further run) and reports it unverified. Returns early, "" or why, when `stop`
  // is requested. The default does nothing.
  virtual std::string at_point_step(PointStep /*step*/, std::stop_token /*stop*/) const {
    return "";
  }

  // Called by the harness after each run with that run's records, untimed, before it checks the
  // run and its tasks. Returns figures of the run as a flat JSON object of numbers or strings (e.g.
  // a counter's final value), reported per result in `metrics`. The default returns an empty
  // object.
  virtual nlohmann::json end_run(std::span<const TaskRecord> records) const;
};

// The floor of running `work` (seconds per task) on `lanes` parallel lanes: never below the
// longest task nor below the total spread evenly.
double FloorSeconds(std::span<const double> work, unsigned lanes);

// FloorSeconds over the completed tasks of `records` (status kOk), task i's work being
// `work(i)` seconds; in one pass, without a copy of the tasks' times.
template <typename Work>
double CompletedFloorSeconds(std::span<const TaskRecord> records, unsigned lanes, Work&& work) {
  double longest = 0;
  double total = 0;
  bool any = false;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].status != TaskStatus::kOk) continue;
    double seconds = work(i);
    longest = any ? std::max(longest, seconds) : seconds;
    total += seconds;
    any = true;
  }
  if (!any || lanes == 0) return 0;
  return std::max(longest, total / lanes);
}

// Waits `duration` parking the calling thread; throws TaskCancelled when `stop` is requested.
void SleepBlocking(Duration duration, const std::stop_token& stop);

// Waits `duration` on a timer of the awaiting coroutine's executor, without blocking its
// thread; throws TaskCancelled when `stop` is requested.
boost::asio::awaitable<void> SleepAsync(Duration duration, std::stop_token stop);

}  // namespace concbench
