#include "engines/process_batch.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace concbench {

std::size_t BatchSize(std::optional<Duration> mean_task, std::size_t remaining,
                      std::size_t workers) {
  if (!mean_task) return 1;
  std::size_t size = kMaxBatch;
  if (mean_task->count() > 0) {
    size = std::min<std::size_t>(size, static_cast<std::size_t>(kBatchTarget / *mean_task));
  }
  size = std::min(size, remaining / (2 * std::max<std::size_t>(workers, 1)));
  return std::max<std::size_t>(size, 1);
}

TaskQueue::TaskQueue(std::size_t tasks) : size_(tasks) {
  if (tasks > 0) blocks_.push_back({0, tasks});
}

TaskBatch TaskQueue::Take(std::size_t count) {
  TaskBatch& front = blocks_.front();
  TaskBatch batch{front.first,
                  std::min<std::uint64_t>(std::max<std::size_t>(count, 1), front.count)};
  front.first += batch.count;
  front.count -= batch.count;
  if (front.count == 0) blocks_.pop_front();
  size_ -= batch.count;
  return batch;
}

void TaskQueue::GiveBack(TaskBatch batch) {
  if (batch.count == 0) return;
  blocks_.push_front(batch);
  size_ += batch.count;
}

void TaskQueue::Add(std::size_t task) {
  ++size_;
  if (!blocks_.empty() && blocks_.back().first + blocks_.back().count == task) {
    ++blocks_.back().count;
    return;
  }
  blocks_.push_back({task, 1});
}

Doorbell ReadDoorbell(int fd) {
  char bytes[64];
  while (true) {
    ssize_t n = ::recv(fd, bytes, sizeof bytes, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Doorbell::kNothing;
    if (n <= 0) return Doorbell::kClosed;
    // kBufferFull is the last byte a worker writes before it waits.
    bool full = std::memchr(bytes, kBufferFull, static_cast<std::size_t>(n)) != nullptr;
    return full ? Doorbell::kFull : Doorbell::kRang;
  }
}

}  // namespace concbench
