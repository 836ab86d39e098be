// Small OS helpers shared by engines, workloads and the harness. A leaf: includes nothing of
// the project.
#pragma once

#include <string>

#include <sys/types.h>

namespace concbench {

// The logical CPUs this process may run on (its affinity mask).
unsigned UsableCpus();

// The current thread's OS id (gettid), as recorded in TaskRecord::worker; asked once per thread
// (and again in a forked child), then cached.
pid_t CurrentWorkerId();

// CPU time consumed so far by the calling thread, in seconds.
double ThreadCpuSeconds();

// CPU time, peak resident memory and context switches, from getrusage or wait4.
struct ResourceUsage {
  double user_seconds = 0;
  double system_seconds = 0;
  long peak_rss_bytes = 0;
  long voluntary_switches = 0;
  long involuntary_switches = 0;

  // Adds `other`'s figures, the peaks too (processes that run side by side).
  ResourceUsage& operator+=(const ResourceUsage& other);
};

// The calling process's own usage so far (getrusage(RUSAGE_SELF)).
ResourceUsage SelfUsage();
// The calling thread's CPU and context switches so far (getrusage(RUSAGE_THREAD)).
ResourceUsage ThreadUsage();

// Waits for child `pid` to end (retrying on EINTR); stores its wait status in `status` and
// returns its usage (wait4).
ResourceUsage WaitChild(pid_t pid, int& status);

// "killed by SIGKILL", "exited with status 3": a wait status in words.
std::string DescribeExit(int status);

// True when mpirun (or a PMI launcher) started this process: its environment names a rank.
bool StartedByMpirun();

// True when `fd` is a terminal a person reads. Not under mpirun: it gives its ranks
// pseudo-terminals even when its own output goes to a file.
bool IsTerminal(int fd);

}  // namespace concbench
