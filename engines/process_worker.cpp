#include "engines/process_worker.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stop_token>

#include "engines/engine.hpp"

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

// Sends a record and its text in one write on a socket; false when the parent is gone.
bool SendRecord(int fd, const WireRecord& wire, const std::string& text) {
  iovec parts[2] = {{const_cast<WireRecord*>(&wire), sizeof wire},
                    {const_cast<char*>(text.data()), text.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = 2;
  std::size_t left = sizeof wire + text.size();
  while (left > 0) {
    ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    left -= static_cast<std::size_t>(n);
    // A short write: skip what went out.
    for (std::size_t sent = static_cast<std::size_t>(n); sent > 0 && message.msg_iovlen > 0;) {
      std::size_t step = std::min(sent, message.msg_iov->iov_len);
      message.msg_iov->iov_base = static_cast<char*>(message.msg_iov->iov_base) + step;
      message.msg_iov->iov_len -= step;
      sent -= step;
      if (message.msg_iov->iov_len == 0) {
        ++message.msg_iov;
        --message.msg_iovlen;
      }
    }
  }
  return true;
}

}  // namespace

// The worker's whole life: tell the workload it was forked, say it is ready, read a batch, run its
// tasks and send each record; exit on EOF. A task chosen by `crash` kills its worker with SIGKILL
// as it starts.
[[noreturn]] void WorkerMain(const Workload& workload, int fd, SeededChoice crash) {
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
  try {
    workload.after_fork();
    if (!WriteAll(fd, &kWorkerReady, 1)) ::_exit(1);
    while (ReadAll(fd, &batch, sizeof batch)) {
      for (std::uint64_t index = batch.first; index < batch.first + batch.count; ++index) {
        if (crash.chosen(index)) ::raise(SIGKILL);
        ProcessUsage commands;
        TaskRecord record = RunTaskBlocking(workload, index, std::stop_token(), &commands);
        if (!SendRecord(fd, ToWire(index, record, commands), record.result)) ::_exit(1);
      }
    }
  } catch (...) {
    // Nothing may unwind into the parent's frames copied by fork.
    ::_exit(3);
  }
  ::_exit(0);
}

}  // namespace concbench
