// The pool engine's run of a task graph: the workers take ready tasks from one shared queue. A
// worker keeps one task that its own task made ready to run next itself (no trip through the
// queue) and pushes the others; it waits only on an empty queue, never on a task's inputs.
#pragma once

#include <atomic>
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
  // Starts with `graph`'s tasks without inputs. All four outlive the queue.
  ReadyQueue(const Workload& workload, const TaskGraph& graph, std::vector<TaskRecord>& records,
             RunControl& control);
  ReadyQueue(const ReadyQueue&) = delete;
  ReadyQueue& operator=(const ReadyQueue&) = delete;

  // One worker's loop: runs ready tasks until every task is settled (run or recorded not run)
  // or `token` is stopped; a stop is seen before each task and while waiting. Thread-safe.
  void Work(const std::stop_token& token);

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // Waits for a ready task; false once every task is settled or on a stop.
  bool Take(std::size_t& task, const std::stop_token& token);
  // Queues `tasks` and wakes workers for them; clears it.
  void Push(std::vector<std::size_t>& tasks);
  // Counts `count` more tasks settled; wakes every worker when that is all of them.
  void Settled(std::size_t count);

  const Workload& workload_;
  std::vector<TaskRecord>& records_;
  RunControl& control_;
  ReadyTasks ready_;
  std::size_t total_;
  std::atomic<std::size_t> settled_{0};
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<std::size_t> queue_;  // ready, not yet taken (under mutex_)
  std::size_t idle_ = 0;           // workers waiting for the queue (under mutex_)
};

}  // namespace concbench
