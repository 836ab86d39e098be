#include "engines/process_batch.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace concbench {

// The least room a read is given; the buffer grows by doubling when a record needs more.
constexpr std::size_t kMinReadRoom = 64 * 1024;

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

RecordReader::Fill RecordReader::FillFrom(int fd) {
  // What is left is at most a part of one record: move it to the front.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < kMinReadRoom / 2) {
    buffer_.resize(std::max(kMinReadRoom, 2 * buffer_.size()));
  }
  while (true) {
    ssize_t n = ::recv(fd, buffer_.data() + end_, buffer_.size() - end_, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Fill::kNothing;
    if (n <= 0) return Fill::kClosed;
    end_ += static_cast<std::size_t>(n);
    return Fill::kRead;
  }
}

bool RecordReader::Next(WireRecord& wire, std::string& result) {
  std::size_t held = end_ - begin_;
  if (held < sizeof wire) return false;
  std::memcpy(&wire, buffer_.data() + begin_, sizeof wire);
  if (held - sizeof wire < wire.result_size) return false;
  const char* text = buffer_.data() + begin_ + sizeof wire;
  result.assign(text, wire.result_size);
  begin_ += sizeof wire + wire.result_size;
  return true;
}

}  // namespace concbench
