#include "engines/batch_schedule.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <string.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "engines/process_worker.hpp"

namespace concbench {

BatchSchedule::BatchSchedule(WorkerSet& set, EngineRun& run, RunControl& control, unsigned workers,
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

void BatchSchedule::Run() {
  std::stop_token stop = control_.token();
  std::size_t total = run_.records.size();
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
      Doorbell ring = ReadDoorbell(worker.fd);
      if (TakeRecords(worker) && ring != Doorbell::kClosed) {
        if (ring == Doorbell::kFull) {
          // Every record taken: the worker writes from 0 again. A failed write means it died,
          // which poll reports.
          worker.reader.Restart();
          WriteAll(worker.fd, &kBufferTaken, 1);
        }
        continue;
      }
      if (std::string error = WorkerDied(slot); !error.empty()) {
        run_.error = std::move(error);
        return;
      }
    }
  }
}

void BatchSchedule::EndWorkers(const std::string& why) {
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

// Sends `worker` the next batch, sized by the tasks timed so far. A failed write means the
// worker died: the batch goes back and poll reports the death.
void BatchSchedule::Send(Worker& worker) {
  TaskBatch batch = queue_.Take(BatchSize(timer_.mean(), queue_.size(), workers_));
  worker.reader.Restart();  // idle, every record taken: the batch's records start at 0
  if (!WriteAll(worker.fd, &batch, sizeof batch)) {
    queue_.GiveBack(batch);
    return;
  }
  worker.batch = batch;
  worker.recorded = 0;
  worker.running_since = TaskRecord::Clock::now();
}

// Takes the records `worker` published since the last look; false when one is not of the task it
// runs.
bool BatchSchedule::TakeRecords(Worker& worker) {
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
std::string BatchSchedule::WorkerDied(std::size_t slot) {
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
void BatchSchedule::Settled(std::size_t task) {
  if (ready_ == nullptr || run_.records[task].status == TaskStatus::kNotRun) return;
  done_ +=
      Settle(*ready_, task, run_.records, control_, [this](std::size_t next) { queue_.Add(next); });
}

}  // namespace concbench
