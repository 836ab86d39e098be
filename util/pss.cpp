#include "util/pss.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>

namespace concbench {
namespace {

constexpr int kIdleShare = 19;

}  // namespace

long ParsePssBytes(std::string_view text) {
  constexpr std::string_view kKey = "Pss:";
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with(kKey)) continue;
    line.remove_prefix(kKey.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    long kib = 0;
    std::size_t digits = 0;
    for (; digits < line.size() && line[digits] >= '0' && line[digits] <= '9'; ++digits) {
      kib = kib * 10 + (line[digits] - '0');
    }
    if (digits == 0) return -1;
    return kib * 1024;
  }
  return -1;
}

long ReadPssBytes(pid_t pid) {
  char path[48];
  if (pid == 0) {
    std::snprintf(path, sizeof path, "/proc/self/smaps_rollup");
  } else {
    std::snprintf(path, sizeof path, "/proc/%d/smaps_rollup", static_cast<int>(pid));
  }
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buffer[4096];  // the rollup is about 1 KiB; Pss is on its third line
  std::size_t size = 0;
  while (size < sizeof buffer) {
    ssize_t n = ::read(fd, buffer + size, sizeof buffer - size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return ParsePssBytes(std::string_view(buffer, size));
}

PssSampler::PssSampler(std::chrono::milliseconds interval)
    : interval_(interval), thread_([this](const std::stop_token& stop) { Loop(stop); }) {}

PssSampler::~PssSampler() { Stop(); }

void PssSampler::Add(pid_t pid) {
  std::lock_guard lock(mutex_);
  pids_.push_back(pid);
}

void PssSampler::Remove(pid_t pid) {
  std::lock_guard lock(mutex_);
  std::erase(pids_, pid);
}

void PssSampler::SampleNow() {
  // Under the lock: a pid removed is never read after Remove returns.
  std::lock_guard lock(mutex_);
  long sum = ReadPssBytes(0);
  if (sum < 0) {
    unreadable_ = true;
    return;
  }
  for (pid_t pid : pids_) sum += std::max(0L, ReadPssBytes(pid));
  peak_ = std::max(peak_, sum);
}

long PssSampler::Stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  std::lock_guard lock(mutex_);
  return unreadable_ ? -1 : peak_;
}

void PssSampler::Loop(const std::stop_token& stop) {
  std::mutex wait_mutex;
  std::condition_variable_any wake;
  std::unique_lock wait_lock(wait_mutex);
  while (!stop.stop_requested()) {
    auto started = std::chrono::steady_clock::now();
    SampleNow();
    // The kernel walks every page table read: a large process takes milliseconds to sample.
    // Sampling then waits kIdleShare times as long, to take at most 1/(kIdleShare + 1) of a core.
    auto took = std::chrono::steady_clock::now() - started;
    auto wait = std::max<std::chrono::steady_clock::duration>(interval_, took * kIdleShare);
    wake.wait_for(wait_lock, stop, wait, [] { return false; });
  }
  thread_usage_ = ThreadUsage();
}

}  // namespace concbench
