// Commands as child processes: start one with posix_spawn, wait for it while honouring a stop
// request, and end its process group (SIGTERM, a grace period, SIGKILL), reaping what is ours.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <stop_token>
#include <string>
#include <vector>

#include "util/os.hpp"

namespace concbench {

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  char* const* envp = nullptr;    // the child's environment; nullptr: the caller's
  std::string cwd;                // "": the caller's
  std::string stdin_path;         // "": /dev/null; a FIFO without a writer reads as empty
  std::string output_path;        // stdout and stderr, truncated first; "": /dev/null
  bool new_group = true;          // the child leads a new process group (its pid is the group's)
  bool inherit_stdio = false;     // the child keeps the caller's stdin, stdout and stderr
  int stdin_fd = -1;              // >= 0: the child's stdin instead of stdin_path (a pipe's end)
  int stdout_fd = -1;             // >= 0: the child's stdout instead of output_path
  bool inherit_stderr = false;    // stderr stays the caller's instead of following stdout
};

// Starts `request` with posix_spawnp: the standard streams opened by the caller without
// blocking (see SpawnRequest), descriptors above 2 closed, signal mask empty, SIGINT,
// SIGTERM and SIGPIPE at their defaults. Returns the pid, or -1 with *error set to why it could
// not start (the exec's error too, e.g. "No such file or directory").
pid_t Spawn(const SpawnRequest& request, std::string* error);

struct ChildExit {
  int status = 0;        // the wait status
  ResourceUsage usage;   // the child's own and its waited-for descendants' (wait4)
  bool stopped = false;  // `stop` was requested first: the child's group was ended
};

// Waits for child `pid` to end. When `stop` is requested first, ends its process group
// (`group`: the child leads one) or the child alone: SIGTERM, then SIGKILL after `grace`. Either
// way the child is reaped, and so is what is left of its group (see EndProcessGroup). When the
// child cannot be watched it is killed and reaped, and *error says why.
ChildExit AwaitChild(pid_t pid, bool group, const std::stop_token& stop,
                     std::chrono::nanoseconds grace, std::string* error);

// A descriptor that becomes readable when process `pid` ends (pidfd_open), or -1 with *error.
int OpenPidfd(pid_t pid, std::string* error);

// True when the process of `pidfd` has ended (its pidfd is readable).
bool ProcessEnded(int pidfd);

// Sends `sig` to process group `pid` (`group`) or to process `pid` alone.
void SignalProcess(pid_t pid, bool group, int sig);

// Ends what is left of process group `pgid` once its leader has been reaped: SIGTERM, up to
// `grace` for them to go, then SIGKILL; reaps those that are the caller's children (orphans
// are when the caller is a child subreaper). Returns at once when the group is empty.
void EndProcessGroup(pid_t pgid, std::chrono::nanoseconds grace);

// Makes the calling process the reaper of its descendants' orphans (PR_SET_CHILD_SUBREAPER), so
// that EndProcessGroup can reap a command's leftover descendants. Idempotent.
void BecomeSubreaper();

}  // namespace concbench
