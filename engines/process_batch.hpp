// The process engine's batches: how many task indices a worker is sent at once, the queue of the
// indices not yet sent, and what a worker's doorbell said.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "concbench/params.hpp"
#include "engines/process_worker.hpp"

namespace concbench {

// About how long one batch of tasks keeps a worker busy, and the most tasks a batch holds.
constexpr Duration kBatchTarget = std::chrono::milliseconds(1);
constexpr std::size_t kMaxBatch = 1024;

// How many tasks the next batch holds: kBatchTarget / `mean_task`, at most kMaxBatch, at most
// `remaining` / (2 × `workers`) so that the run's end stays balanced, at least 1; 1 while no task
// has been timed (`mean_task` empty).
std::size_t BatchSize(std::optional<Duration> mean_task, std::size_t remaining,
                      std::size_t workers);

// The running mean of the tasks' durations.
class TaskTimer {
 public:
  void add(Duration task) {
    total_ += task;
    ++count_;
  }
  // Empty until a task was added.
  std::optional<Duration> mean() const {
    if (count_ == 0) return std::nullopt;
    return total_ / static_cast<Duration::rep>(count_);
  }

 private:
  Duration total_{0};
  std::size_t count_ = 0;
};

// The tasks not yet sent to a worker, as contiguous blocks in the order they are handed out.
class TaskQueue {
 public:
  explicit TaskQueue(std::size_t tasks);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Takes up to `count` (at least 1) tasks from the front, as one contiguous batch; the queue
  // must not be empty.
  TaskBatch Take(std::size_t count);
  // Puts `batch` back in front: its tasks are handed out next.
  void GiveBack(TaskBatch batch);
  // Adds task `task` at the back, in the last block when it follows that block's last task.
  void Add(std::size_t task);

 private:
  std::deque<TaskBatch> blocks_;
  std::size_t size_ = 0;
};

// What a worker's doorbell said since the last look.
enum class Doorbell {
  kNothing,  // no byte
  kRang,     // records were published
  kFull,     // its buffer is full: it waits for kBufferTaken
  kClosed,   // EOF or an error: the worker is gone
};
// Reads the doorbell bytes `fd` holds, without waiting.
Doorbell ReadDoorbell(int fd);

}  // namespace concbench
