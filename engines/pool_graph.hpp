// The pool engine's run of a task graph: the workers take ready tasks from one shared queue. A
// worker keeps one task that its own task made ready to run next itself (no trip through the
// queue) and pushes the others; it waits only on an empty queue, never on a task's inputs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stop_token>
#include <vector>

#include "engines/engine.hpp"
#include "engines/ready_tasks.hpp"

namespace concbench {

class ReadyQueue {
 public:
  // Starts with `graph`'s tasks without inputs; tasks' command usage goes to `commands` (see
  // EngineRun::commands). All five outlive the queue. With `spin`, a
  // worker that finds the queue empty polls it for up to kSpin before it sleeps: a task made
  // ready by another worker then starts without a wake-up's latency (tens of microseconds), which
  // a narrow graph (a stencil as wide as the workers) pays at every step. Only when each worker
  // has a CPU of its own.
  ReadyQueue(const Workload& workload, const TaskGraph& graph, std::vector<TaskRecord>& records,
             std::vector<ProcessUsage>& commands, RunControl& control, bool spin);
  ReadyQueue(const ReadyQueue&) = delete;
  ReadyQueue& operator=(const ReadyQueue&) = delete;

  // One worker's loop: runs ready tasks until every task is settled (run or recorded not run)
  // or `token` is stopped; a stop is seen before each task and while waiting. Thread-safe.
  void Work(const std::stop_token& token);

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  static constexpr std::chrono::microseconds kSpin{50};
  // Polls for up to kSpin until the queue has a task, every task is settled, or a stop.
  void Spin(const std::stop_token& token) const;
  // Waits for a ready task; false once every task is settled or on a stop.
  bool Take(std::size_t& task, const std::stop_token& token);
  // Queues `tasks` and wakes workers for them; clears it.
  void Push(std::vector<std::size_t>& tasks);
  // Counts `count` more tasks settled; wakes every worker when that is all of them.
  void Settled(std::size_t count);

  const Workload& workload_;
  std::vector<TaskRecord>& records_;
  std::vector<ProcessUsage>& commands_;
  RunControl& control_;
  ReadyTasks ready_;
  std::size_t total_;
  bool spin_;
  std::atomic<std::size_t> settled_{0};
  std::atomic<std::size_t> queued_{0};  // queue_.size(), readable without the mutex
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<std::size_t> queue_;  // ready, not yet taken (under mutex_)
  std::size_t idle_ = 0;           // workers waiting for the queue (under mutex_)
};

}  // namespace concbench
