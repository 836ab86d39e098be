#include "util/os.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace concbench {
namespace {

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

ResourceUsage FromRusage(const rusage& usage) {
  return {Seconds(usage.ru_utime), Seconds(usage.ru_stime), usage.ru_maxrss * 1024, usage.ru_nvcsw,
          usage.ru_nivcsw};
}

thread_local pid_t cached_worker_id = 0;

// A forked child's thread is not its parent's: it asks again.
void ForgetWorkerId() { cached_worker_id = 0; }

}  // namespace

pid_t CurrentWorkerId() {
  if (cached_worker_id == 0) {
    static const int forget_in_children = ::pthread_atfork(nullptr, nullptr, ForgetWorkerId);
    (void)forget_in_children;
    cached_worker_id = static_cast<pid_t>(::syscall(SYS_gettid));
  }
  return cached_worker_id;
}

double ThreadCpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

ResourceUsage& ResourceUsage::operator+=(const ResourceUsage& other) {
  user_seconds += other.user_seconds;
  system_seconds += other.system_seconds;
  peak_rss_bytes += other.peak_rss_bytes;
  voluntary_switches += other.voluntary_switches;
  involuntary_switches += other.involuntary_switches;
  return *this;
}

ResourceUsage SelfUsage() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return FromRusage(usage);
}

ResourceUsage ThreadUsage() {
  rusage usage{};
  ::getrusage(RUSAGE_THREAD, &usage);
  ResourceUsage used = FromRusage(usage);
  used.peak_rss_bytes = 0;  // the process's, not the thread's
  return used;
}

ResourceUsage WaitChild(pid_t pid, int& status) {
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  return FromRusage(usage);
}

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    const char* abbrev = ::sigabbrev_np(WTERMSIG(status));
    return abbrev ? fmt::format("killed by SIG{}", abbrev)
                  : fmt::format("killed by signal {}", WTERMSIG(status));
  }
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  return fmt::format("ended with wait status {}", status);
}

bool StartedByMpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

bool IsTerminal(int fd) { return ::isatty(fd) != 0 && !StartedByMpirun(); }

unsigned UsableCpus() {
  cpu_set_t cpus;
  if (::sched_getaffinity(0, sizeof cpus, &cpus) == 0) {
    return static_cast<unsigned>(CPU_COUNT(&cpus));
  }
  return static_cast<unsigned>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
}

}  // namespace concbench
