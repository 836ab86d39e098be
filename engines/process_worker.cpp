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

WireRecord ToWire(std::uint64_t index, const TaskRecord& record) {
  return {index,
          static_cast<std::int32_t>(record.status),
          Nanos(record.start),
          Nanos(record.end),
          record.cpu_seconds.value_or(-1),
          record.worker,
          record.commands,
          static_cast<std::uint32_t>(record.result.size())};
}

// The worker's whole life: tell the workload it was forked, read an index, run the task, send the
// record; exit on EOF. A task chosen by `crash` kills its worker with SIGKILL as it starts.
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
  std::uint64_t index = 0;
  try {
    workload.after_fork();
    while (ReadAll(fd, &index, sizeof index)) {
      if (crash.chosen(index)) ::raise(SIGKILL);
      TaskRecord record = RunTaskBlocking(workload, index, std::stop_token());
      WireRecord wire = ToWire(index, record);
      if (!WriteAll(fd, &wire, sizeof wire) ||
          !WriteAll(fd, record.result.data(), record.result.size())) {
        ::_exit(1);
      }
    }
  } catch (...) {
    // Nothing may unwind into the parent's frames copied by fork.
    ::_exit(3);
  }
  ::_exit(0);
}

}  // namespace concbench
