// The process engine's hand-out of one run's tasks to its started workers: batches out on the
// socket, records back through each worker's shared record buffer (taken when its doorbell rings,
// and all of them when it dies), deaths attributed and their workers replaced.
#pragma once

#include <cstddef>
#include <string>

#include "engines/engine.hpp"
#include "engines/process_batch.hpp"
#include "engines/ready_tasks.hpp"
#include "engines/worker_set.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {

// One run's schedule over the workers of `set`, already started. With a graph (`ready` not
// null), only the tasks whose inputs finished are queued. Not thread-safe: the run's thread.
class BatchSchedule {
 public:
  BatchSchedule(WorkerSet& set, EngineRun& run, RunControl& control, unsigned workers,
                SeededChoice crash, ReadyTasks* ready);

  // Hands out batches until every task has a record, the engine fails (run.error), or stop. A
  // worker's buffer starts at 0 with each batch it is sent, and again when it rang kBufferFull
  // and every record was taken. A worker that dies: the records it published are taken, the task
  // it ran fails ("its worker process died mid-task: ..."), the rest of its batch is queued again.
  void Run();

  // Ends every worker now. A busy one is killed, the records it wrote are kept, and the task it
  // was running is cancelled with `why`; the later tasks of its batch stay kNotRun.
  void EndWorkers(const std::string& why);

 private:
  void Send(Worker& worker);
  bool TakeRecords(Worker& worker);
  std::string WorkerDied(std::size_t slot);
  void Settled(std::size_t task);

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

}  // namespace concbench
