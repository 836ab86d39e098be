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

// One run's hand-out of tasks: batches out to the workers, records back, deaths attributed.
// With a graph (`ready` not null), only the tasks whose inputs finished are queued.
class BatchSchedule {
 public:
  BatchSchedule(WorkerSet& set, EngineRun& run, RunControl& control, unsigned workers,
                SeededChoice crash, ReadyTasks* ready)
      : set_(set),
        run_(run),
        control_(control),
        workers_(workers),
        crash_(crash),
        ready_(ready),
        queue_(ready != nullptr ? 0 : run.records.size()) {
    if (ready_ != nullptr) {
      for (std::size_t task : ready_->initial()) queue_.Add(task);
    }
  }

  // Hands out batches until every task has a record, the engine fails, or stop.
  void Run() {
    std::stop_token stop = control_.token();
    std::size_t total = run_.records.size();
    for (std::size_t i = 0; i < std::min<std::size_t>(workers_, total); ++i) {
      if (std::string error = set_.Spawn(i); !error.empty()) {
        run_.error =
            fmt::format("could start only {} of {} worker processes: {}", i, workers_, error);
        return;
      }
    }
    std::vector<pollfd> fds;
    while (done_ < total && !stop.stop_requested()) {
      fds.clear();
      for (Worker& worker : set_.workers()) {
        if (worker.pid > 0 && !worker.busy() && !queue_.empty()) Send(worker);
        fds.push_back({worker.fd, POLLIN, 0});
      }
      fds.push_back({set_.stop_fd(), POLLIN, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
        run_.error = fmt::format("poll failed: {}", ::strerror(errno));
        return;
      }
      for (std::size_t slot = 0; slot < set_.workers().size(); ++slot) {
        Worker& worker = set_.workers()[slot];
        if (fds[slot].revents == 0 || worker.pid <= 0) continue;
        RecordReader::Fill fill = worker.reader.FillFrom(worker.fd);
        if (TakeRecords(worker) && fill != RecordReader::Fill::kClosed) continue;
        if (std::string error = WorkerDied(slot); !error.empty()) {
          run_.error = std::move(error);
          return;
        }
      }
    }
  }

  // Ends every worker. A busy one is killed, the records it wrote are kept, and the task it was
  // running is cancelled with `why`; the later tasks of its batch stay kNotRun.
  void EndWorkers(const std::string& why) {
    for (Worker& worker : set_.workers()) {
      if (worker.pid > 0) set_.Dismiss(worker, worker.busy());
    }
    for (Worker& worker : set_.workers()) {
      if (worker.pid <= 0) continue;
      bool busy = worker.busy();
      pid_t pid = worker.pid;
      set_.Reap(worker, busy);
      if (!busy) continue;
      TakeRecords(worker);
      if (!worker.busy()) continue;  // its last task ended before the kill
      TaskRecord& record = run_.records[worker.running()];
      record.status = TaskStatus::kCancelled;
      record.result = why;
      record.start = worker.running_since;
      record.end = TaskRecord::Clock::now();
      record.worker = pid;
    }
  }

 private:
  // Sends `worker` the next batch, sized by the tasks timed so far. A failed write means the
  // worker died: the batch goes back and poll reports the death.
  void Send(Worker& worker) {
    TaskBatch batch = queue_.Take(BatchSize(timer_.mean(), queue_.size(), workers_));
    if (!WriteAll(worker.fd, &batch, sizeof batch)) {
      queue_.GiveBack(batch);
      return;
    }
    worker.batch = batch;
    worker.recorded = 0;
    worker.running_since = TaskRecord::Clock::now();
  }

  // Takes the records `worker`'s reader holds; false when one is not of the task it runs.
  bool TakeRecords(Worker& worker) {
    WireRecord wire{};
    std::string result;
    while (worker.reader.Next(wire, result)) {
      if (!worker.busy() || wire.index != worker.running()) return false;
      TaskRecord& record = run_.records[wire.index];
      record.result = std::move(result);
      record.status = static_cast<TaskStatus>(wire.status);
      record.start = FromNanos(wire.start_ns);
      record.end = FromNanos(wire.end_ns);
      if (wire.cpu_seconds >= 0) record.cpu_seconds = wire.cpu_seconds;
      record.worker = static_cast<std::int32_t>(wire.worker);
      if (!run_.commands.empty()) run_.commands[wire.index] = wire.commands;
      timer_.add(record.end - record.start);
      worker.running_since = record.end;
      ++worker.recorded;
      ++done_;
      control_.finished(record.status);
      Settled(wire.index);
    }
    return true;
  }

  // Worker `slot` is gone: takes the records it wrote, fails the task it died in with the cause,
  // gives the later tasks of its batch back to the queue and, when tasks are left, starts a
  // replacement. Returns "" or the error that ends the run.
  std::string WorkerDied(std::size_t slot) {
    Worker& worker = set_.workers()[slot];
    pid_t pid = worker.pid;
    std::string cause = set_.Reap(worker, /*kill_first=*/true);
    TakeRecords(worker);
    if (worker.busy()) {
      std::size_t task = worker.running();
      TaskRecord& record = run_.records[task];
      record.status = TaskStatus::kFailed;
      // The worker's pid is the record's worker, not in the text: a task that crashes in every
      // repetition reads as one problem.
      record.result = fmt::format("its worker process died mid-task: {}{}", cause,
                                  crash_.chosen(task) ? " (crash injected by --crash-rate)" : "");
      record.start = worker.running_since;
      record.end = TaskRecord::Clock::now();
      record.worker = pid;
      control_.finished(record.status);
      ++done_;
      Settled(task);
      queue_.GiveBack({task + 1, worker.batch.first + worker.batch.count - task - 1});
    }
    worker = Worker{};
    // A graph's queue may be empty only until a running task makes more ready.
    if (queue_.empty() && (ready_ == nullptr || done_ >= run_.records.size())) return "";
    if (std::string error = set_.Spawn(slot); !error.empty()) {
      return "could not replace a worker process: " + error;
    }
    return "";
  }

  // A graph's task `task` has its record: queues the outputs it made ready, and counts those
  // recorded not run as done.
  void Settled(std::size_t task) {
    if (ready_ == nullptr || run_.records[task].status == TaskStatus::kNotRun) return;
    done_ += Settle(*ready_, task, run_.records, control_,
                    [this](std::size_t next) { queue_.Add(next); });
  }

  WorkerSet& set_;
  EngineRun& run_;
  RunControl& control_;
  unsigned workers_;
  SeededChoice crash_;
  ReadyTasks* ready_;
  TaskQueue queue_;
  TaskTimer timer_;
  std::size_t done_ = 0;
};

class ProcessEngine : public Engine {
 public:
  ProcessEngine(unsigned workers, SeededChoice crash) : workers_(workers), crash_(crash) {}

  std::string_view name() const override { return "process"; }
  unsigned lanes(const Workload&) const override { return workers_; }
  TaskMemory task_memory() const override { return TaskMemory::kForkedCopy; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    std::stop_token stop = control.token();
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    int stop_pipe[2];
    if (::pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      run.error = fmt::format("pipe failed: {}", ::strerror(errno));
      return run;
    }
    {
      std::stop_callback on_stop(stop, [fd = stop_pipe[1]] {
        char byte = 1;
        [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);
      });
      SeededChoice crash = crash_;
      crash.tasks = run.records.size();
      PssSampler memory(kMemoryInterval);
      WorkerSet set(workload, stop_pipe[0], stop_pipe[1], crash, &memory);
      std::optional<ReadyTasks> ready;
      if (workload.graph() != nullptr) ready.emplace(*workload.graph());
      BatchSchedule schedule(set, run, control, workers_, crash, ready ? &*ready : nullptr);
      schedule.Run();
      // The last sample, for a run shorter than the interval, taken before any worker ends: an
      // exiting worker's pages would count in it and, already handed back, in the harness too.
      memory.SampleNow();
      run.peak_pss_bytes = memory.Stop();
      run.pss_unreadable = run.peak_pss_bytes < 0;
      run.measuring = memory.thread_usage();
      // A task in a worker process cannot be told to stop: its worker is killed at once.
      std::string why = "cancelled: worker process killed: " + run.error;
      if (stop.stop_requested()) why = "cancelled: worker process killed on stop";
      if (EndedBy ended_by = control.ended_by(); ended_by != EndedBy::kNone) {
        why = fmt::format("cancelled: worker process killed ({})", EndedByName(ended_by));
      }
      schedule.EndWorkers(why);
      // The workers reaped the tasks' commands: their CPU is the commands', not the engine's.
      run.children = set.usage();
      for (const ProcessUsage& commands : run.commands) {
        run.children.user_seconds -= commands.user_seconds;
        run.children.system_seconds -= commands.system_seconds;
      }
      run.children.user_seconds = std::max(0.0, run.children.user_seconds);
      run.children.system_seconds = std::max(0.0, run.children.system_seconds);
    }
    ::close(stop_pipe[0]);
    ::close(stop_pipe[1]);
    return run;
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
