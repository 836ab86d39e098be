#include "engines/process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>

#include "engines/batch_schedule.hpp"
#include "engines/pool.hpp"
#include "engines/process_batch.hpp"
#include "engines/process_worker.hpp"
#include "engines/ready_tasks.hpp"
#include "engines/worker_set.hpp"
#include "util/pss.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

// How often the run's memory (the harness's and its workers' PSS) is sampled.
constexpr std::chrono::milliseconds kMemoryInterval{20};

// One run's workers with their stop pipe, started before the clock (prepare_run) or at the start
// of run_tasks. Destroyed, it kills and reaps the workers left, then closes the pipe.
struct WorkerRun {
  const Workload* workload = nullptr;  // the workload they are copies of
  std::size_t tasks = 0;               // its task count when they were forked
  SeededChoice crash;
  int stop_pipe[2] = {-1, -1};         // written on a stop; the set polls its read end
  std::unique_ptr<PssSampler> memory;  // from the start of run_tasks to the workers' end
  std::unique_ptr<WorkerSet> set;
  std::string error;           // why they could not all be started, or ""
  double startup_seconds = 0;  // forking them until each was ready
  bool ran = false;            // they ran the tasks, and were left idle for conclude_run

  WorkerRun() = default;
  WorkerRun(const WorkerRun&) = delete;
  WorkerRun& operator=(const WorkerRun&) = delete;
  ~WorkerRun() {
    set.reset();
    for (int fd : stop_pipe) {
      if (fd >= 0) ::close(fd);
    }
  }
};

// Adds what `set`'s reaped workers used to `run.children`, less the commands their tasks started
// (those are the tasks' CPU, in their records, not the engine's).
void AddChildren(EngineRun& run, const WorkerSet& set) {
  ResourceUsage workers = set.usage();
  for (const ProcessUsage& commands : run.commands) {
    workers.user_seconds -= commands.user_seconds;
    workers.system_seconds -= commands.system_seconds;
  }
  workers.user_seconds = std::max(0.0, workers.user_seconds);
  workers.system_seconds = std::max(0.0, workers.system_seconds);
  run.children += workers;
}

// Takes the last sample of `workers`' memory, before any of them ends (an exiting worker's pages
// would count in it and, already handed back, in the harness too), and stops the sampler.
void FinishMemory(EngineRun& run, WorkerRun& workers) {
  if (workers.memory == nullptr) return;
  workers.memory->SampleNow();  // for a run shorter than the interval
  run.peak_pss_bytes = workers.memory->Stop();
  run.pss_unreadable = run.peak_pss_bytes < 0;
  run.measuring = workers.memory->thread_usage();
  workers.set->set_sampler(nullptr);
}

class ProcessEngine : public Engine {
 public:
  ProcessEngine(unsigned workers, SeededChoice crash) : workers_(workers), crash_(crash) {}

  std::string_view name() const override { return "process"; }
  unsigned lanes(const Workload&) const override { return workers_; }
  TaskMemory task_memory() const override { return TaskMemory::kForkedCopy; }

 protected:
  // Forks the run's workers before the clock: after begin_run, so that each is a copy of the
  // harness as this run begins.
  void prepare_run(const Workload& workload) override {
    workers_run_.reset();  // what an earlier run left, ended and reaped
    workers_run_ = Start(workload);
  }

  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    std::stop_token stop = control.token();
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    std::unique_ptr<WorkerRun> prepared = std::move(workers_run_);
    if (prepared == nullptr || prepared->workload != &workload ||
        prepared->tasks != run.records.size()) {
      prepared.reset();
      prepared = Start(workload);  // run() called without the harness
    }
    WorkerRun& workers = *prepared;
    run.metrics["worker_startup_s"] = workers.startup_seconds;
    if (!workers.error.empty()) {
      run.error = workers.error;
      return run;
    }
    WorkerSet& set = *workers.set;
    std::stop_callback on_stop(stop, [fd = workers.stop_pipe[1]] {
      char byte = 1;
      [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);
    });
    workers.memory = std::make_unique<PssSampler>(kMemoryInterval);
    set.set_sampler(workers.memory.get());
    std::optional<ReadyTasks> ready;
    if (workload.graph() != nullptr) ready.emplace(*workload.graph());
    BatchSchedule schedule(set, run, control, workers_, workers.crash, ready ? &*ready : nullptr);
    schedule.Run();
    if (run.error.empty() && !stop.stop_requested()) {
      // Every worker idle: conclude_run takes the last sample of their memory and ends them.
      prepared->ran = true;
      workers_run_ = std::move(prepared);
      return run;
    }
    // A task in a worker process cannot be told to stop: its worker is killed at once.
    std::string why = "cancelled: worker process killed: " + run.error;
    if (stop.stop_requested()) why = "cancelled: worker process killed on stop";
    if (EndedBy ended_by = control.ended_by(); ended_by != EndedBy::kNone) {
      why = fmt::format("cancelled: worker process killed ({})", EndedByName(ended_by));
    }
    FinishMemory(run, workers);
    schedule.EndWorkers(why);
    AddChildren(run, set);
    return run;
  }

  void conclude_run(EngineRun& run) override {
    std::unique_ptr<WorkerRun> workers = std::move(workers_run_);
    if (workers == nullptr || workers->set == nullptr) return;
    if (workers->ran) {
      FinishMemory(run, *workers);
      // Dismissed all first, the idle workers end side by side.
      for (Worker& worker : workers->set->workers()) {
        if (worker.pid > 0) workers->set->Dismiss(worker, worker.busy());
      }
      for (Worker& worker : workers->set->workers()) {
        if (worker.pid > 0) workers->set->Reap(worker, worker.busy());
      }
      AddChildren(run, *workers->set);
    }
  }

  // `workload`'s workers (as many as its tasks need, up to --workers), started and ready.
  std::unique_ptr<WorkerRun> Start(const Workload& workload) const {
    auto workers = std::make_unique<WorkerRun>();
    workers->workload = &workload;
    workers->tasks = workload.task_count();
    workers->crash = crash_;
    workers->crash.tasks = workers->tasks;
    auto started = std::chrono::steady_clock::now();
    if (::pipe2(workers->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      workers->error = fmt::format("pipe failed: {}", ::strerror(errno));
      return workers;
    }
    workers->set = std::make_unique<WorkerSet>(workload, workers->stop_pipe[0],
                                               workers->stop_pipe[1], workers->crash);
    workers->error =
        workers->set->Start(static_cast<unsigned>(std::min<std::size_t>(workers_, workers->tasks)));
    workers->startup_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return workers;
  }

  nlohmann::json own_parameters() const override {
    nlohmann::json params = {{"workers", workers_}};
    if (crash_.rate > 0) {
      params["crash_rate"] = crash_.rate;
      params["seed"] = crash_.seed;
    }
    return params;
  }

 private:
  unsigned workers_;
  SeededChoice crash_;
  // The workers prepare_run started for the next run, or those a run left for conclude_run.
  std::unique_ptr<WorkerRun> workers_run_;
};

}  // namespace

std::vector<ParamSpec> ProcessParams() {
  return {
      WorkersParam(),
      {"crash-rate", ParamType::kRate, "0",
       "process: round(SHARE × tasks) of the tasks, chosen by --seed, kill their worker with "
       "SIGKILL as they start"},
      SeedParam(),
  };
}

std::unique_ptr<Engine> MakeProcessEngine(const Params& params) {
  SeededChoice crash{.salt = SeededChoice::kCrashSalt};
  if (params.has("crash-rate")) crash.rate = params.rate("crash-rate");
  if (params.has("seed")) crash.seed = params.whole("seed");
  return std::make_unique<ProcessEngine>(ReadWorkers(params), crash);
}

}  // namespace concbench
