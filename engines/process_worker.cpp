#include "engines/process_worker.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stop_token>

#include "engines/engine.hpp"
#include "engines/record_buffer.hpp"

namespace concbench {

// Reads or writes exactly `size` bytes; false on EOF or error.
bool ReadAll(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = ::read(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Sends on a socket without raising SIGPIPE when the peer is gone.
bool WriteAll(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::send(fd, bytes, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::int64_t Nanos(TaskRecord::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TaskRecord::Clock::time_point FromNanos(std::int64_t ns) {
  return TaskRecord::Clock::time_point(std::chrono::nanoseconds(ns));
}

WireRecord ToWire(std::uint64_t index, const TaskRecord& record, const ProcessUsage& commands) {
  return {index,
          static_cast<std::int32_t>(record.status),
          Nanos(record.start),
          Nanos(record.end),
          record.cpu_seconds.value_or(-1),
          record.worker,
          commands,
          static_cast<std::uint32_t>(record.result.size())};
}

namespace {

// A worker's records on their way to its parent: published in the shared buffer, announced by the
// doorbell on socket `fd`. Each call returns false when the parent is gone.
class Publisher {
 public:
  Publisher(int fd, RecordRegion records) : fd_(fd), writer_(records) {}

  // A new batch: the parent set the buffer to 0.
  void Restart() {
    writer_.Restart();
    announced_ = 0;
  }

  // Publishes a task's record, waiting for the parent to empty a full buffer first; rings when
  // kDoorbellInterval passed since the last ring (`now` is the task's end).
  bool Publish(const WireRecord& wire, const std::string& text, TaskRecord::Clock::time_point now) {
    if (!writer_.Append(wire, text)) {
      char answer = 0;
      if (!WriteAll(fd_, &kBufferFull, 1)) return false;
      if (!ReadAll(fd_, &answer, 1) || answer != kBufferTaken) return false;
      Restart();
      writer_.Append(wire, text);  // an empty buffer holds it, cut if need be
    }
    if (now - last_ring_ < kDoorbellInterval) return true;
    return Ring(now);
  }

  // Rings when records are unannounced (the batch's end).
  bool Flush() { return writer_.written() == announced_ || Ring(TaskRecord::Clock::now()); }

 private:
  bool Ring(TaskRecord::Clock::time_point now) {
    last_ring_ = now;
    announced_ = writer_.written();
    return WriteAll(fd_, &kDoorbell, 1);
  }

  int fd_;
  RecordWriter writer_;
  std::size_t announced_ = 0;  // the bytes written when the doorbell last rang
  TaskRecord::Clock::time_point last_ring_{};
};

}  // namespace

// The worker's whole life: tell the workload it was forked, say it is ready, read a batch, run its
// tasks and publish each record; exit on EOF. A task chosen by `crash` kills its worker with
// SIGKILL as it starts.
[[noreturn]] void WorkerMain(const Workload& workload, int fd, RecordRegion records,
                             SeededChoice crash) {
  ::signal(SIGPIPE, SIG_IGN);
  // The parent decides when workers stop: SIGINT is ignored, SIGTERM (from the parent, to the
  // worker's own process group) ends the worker and its task's commands at once.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_DFL);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  ::pthread_sigmask(SIG_UNBLOCK, &mask, nullptr);
  TaskBatch batch;
  Publisher publisher(fd, records);
  try {
    workload.after_fork();
    if (!WriteAll(fd, &kWorkerReady, 1)) ::_exit(1);
    while (ReadAll(fd, &batch, sizeof batch)) {
      publisher.Restart();
      for (std::uint64_t index = batch.first; index < batch.first + batch.count; ++index) {
        if (crash.chosen(index)) ::raise(SIGKILL);
        ProcessUsage commands;
        TaskRecord record = RunTaskBlocking(workload, index, std::stop_token(), &commands);
        if (!publisher.Publish(ToWire(index, record, commands), record.result, record.end)) {
          ::_exit(1);
        }
      }
      if (!publisher.Flush()) ::_exit(1);
    }
  } catch (...) {
    // Nothing may unwind into the parent's frames copied by fork.
    ::_exit(3);
  }
  ::_exit(0);
}

}  // namespace concbench
