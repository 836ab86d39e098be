#include "engines/worker_set.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "util/spawn.hpp"

namespace concbench {

// How long what a worker's task left in its process group has between SIGTERM and SIGKILL.
constexpr std::chrono::milliseconds kGroupGrace{500};

WorkerSet::~WorkerSet() {
  for (Worker& worker : workers_) {
    if (worker.pid > 0) Dismiss(worker, /*kill=*/true);
  }
  for (Worker& worker : workers_) {
    if (worker.pid > 0) Reap(worker, /*kill_first=*/true);
  }
}

void WorkerSet::set_sampler(PssSampler* sampler) {
  sampler_ = sampler;
  if (sampler_ == nullptr) return;
  for (const Worker& worker : workers_) {
    if (worker.pid > 0) sampler_->Add(worker.pid);
  }
}

std::string WorkerSet::Start(unsigned count) {
  // Forked all first, the workers get ready side by side.
  unsigned forked = 0;
  std::string error;
  while (forked < count && (error = Fork(forked)).empty()) ++forked;
  unsigned ready = 0;
  while (ready < forked && error.empty() && (error = Ready(ready)).empty()) ++ready;
  if (error.empty()) return "";
  return fmt::format("could start only {} of {} worker processes: {}", ready, count, error);
}

std::string WorkerSet::Spawn(std::size_t slot) {
  std::string error = Fork(slot);
  return error.empty() ? Ready(slot) : error;
}

std::string WorkerSet::Ready(std::size_t slot) {
  Worker& worker = workers_[slot];
  char byte = 0;
  if (ReadAll(worker.fd, &byte, 1) && byte == kWorkerReady) return "";
  std::string how = Reap(worker, /*kill_first=*/true);
  return "a worker process ended before it was ready: " + how;
}

std::string WorkerSet::Fork(std::size_t slot) {
  if (buffers_.size() <= slot) buffers_.resize(slot + 1);
  if (buffers_[slot].region().header == nullptr) {
    if (std::string error = buffers_[slot].Map(); !error.empty()) return error;
  }
  RecordReader reader(buffers_[slot].region());
  reader.Restart();  // what a dead worker in this slot left is gone
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return fmt::format("socketpair failed: {}", ::strerror(errno));
  }
  workers_.reserve(slot + 1);  // no allocation may fail once the child exists
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return fmt::format("fork failed: {}", ::strerror(error));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    ::close(fds[0]);
    ::close(stop_fd_);
    ::close(stop_write_fd_);
    for (Worker& other : workers_) {
      if (other.fd >= 0) ::close(other.fd);
    }
    for (std::size_t other = 0; other < buffers_.size(); ++other) {
      if (other != slot) buffers_[other].Unmap();
    }
    WorkerMain(workload_, fds[1], buffers_[slot].region(), crash_);
  }
  ::setpgid(pid, pid);  // as the child does: whichever runs first
  ::close(fds[1]);
  Worker worker;
  worker.pid = pid;
  worker.fd = fds[0];
  worker.reader = reader;
  if (sampler_ != nullptr) sampler_->Add(pid);
  if (slot == workers_.size()) {
    workers_.push_back(std::move(worker));
  } else {
    workers_[slot] = std::move(worker);
  }
  return "";
}

void WorkerSet::Dismiss(Worker& worker, bool kill) {
  if (kill) {
    ::kill(-worker.pid, SIGTERM);
  } else {
    ::shutdown(worker.fd, SHUT_WR);
  }
}

std::string WorkerSet::Reap(Worker& worker, bool kill_first) {
  if (kill_first) {
    ::kill(-worker.pid, SIGTERM);
  } else {
    ::close(worker.fd);
  }
  if (sampler_ != nullptr) sampler_->Remove(worker.pid);
  int status = 0;
  usage_ += WaitChild(worker.pid, status);
  EndProcessGroup(worker.pid, kGroupGrace);
  if (kill_first) ::close(worker.fd);
  worker.pid = -1;
  worker.fd = -1;
  return DescribeExit(status);
}

}  // namespace concbench
