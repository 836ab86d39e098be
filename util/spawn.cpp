#include "util/spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <thread>

extern char** environ;

namespace concbench {
namespace {

using Nanos = std::chrono::nanoseconds;

// posix_spawn's attribute and file-action objects, destroyed on every path.
class SpawnSetup {
 public:
  SpawnSetup() {
    ::posix_spawnattr_init(&attr_);
    ::posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
};

// A descriptor closed when it goes out of scope.
struct Descriptor {
  Descriptor() = default;
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
  int fd = -1;
};

// Opens `path` for a child's standard stream without waiting: a FIFO opened for reading without
// a writer gives end of input at once; one opened for writing without a reader fails (ENXIO).
// The descriptor is blocking once open, as the child expects. Returns it, or -1 with *error
// set when it cannot be opened.
int OpenStdio(const std::string& path, int flags, std::string_view what, std::string* error) {
  int fd = ::open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0) {
    *error = fmt::format("cannot open {} '{}': {}", what, path,
                         errno == ENXIO ? "a FIFO with no reader" : ::strerror(errno));
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

int Milliseconds(Nanos duration) {
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(duration).count());
}

// Waits up to `timeout` (negative: without end) for `fd` to become readable; true when it did.
bool WaitReadable(int fd, int timeout_ms) {
  pollfd poll_fd{fd, POLLIN, 0};
  int n;
  while ((n = ::poll(&poll_fd, 1, timeout_ms)) < 0 && errno == EINTR) {
  }
  return n > 0;
}

// Signals `pid` (or its group) with SIGTERM, waits up to `grace` for `pidfd` to become readable,
// then sends SIGKILL. Returns once the process has ended (it is not reaped).
void TerminateThenKill(pid_t pid, int pidfd, bool group, Nanos grace) {
  SignalProcess(pid, group, SIGTERM);
  if (WaitReadable(pidfd, Milliseconds(grace))) return;
  SignalProcess(pid, group, SIGKILL);
  WaitReadable(pidfd, -1);
}

// Reaps the caller's ended children in group `pgid`; true when the group has no process left.
bool ReapGroup(pid_t pgid) {
  int status = 0;
  while (::waitpid(-pgid, &status, WNOHANG) > 0) {
  }
  return ::kill(-pgid, 0) != 0 && errno == ESRCH;
}

// Polls until `done` holds or `limit` passes; returns `done()`'s last value.
template <typename Done>
bool PollUntil(Done done, Nanos limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace

pid_t Spawn(const SpawnRequest& request, std::string* error) {
  if (request.argv.empty()) {
    *error = "empty command";
    return -1;
  }
  SpawnSetup setup;
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (request.new_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    ::posix_spawnattr_setpgroup(&setup.attr_, 0);
  }
  ::posix_spawnattr_setflags(&setup.attr_, flags);
  sigset_t signals;
  sigemptyset(&signals);
  ::posix_spawnattr_setsigmask(&setup.attr_, &signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGPIPE);
  ::posix_spawnattr_setsigdefault(&setup.attr_, &signals);

  Descriptor in, out;
  if (!request.inherit_stdio) {
    // Opened here, not in the child: a FIFO without a writer (or reader) must not block the
    // caller, which posix_spawn suspends until the child has run its file actions.
    int in_fd = request.stdin_fd, out_fd = request.stdout_fd;
    if (in_fd < 0) {
      in.fd = in_fd = OpenStdio(request.stdin_path.empty() ? "/dev/null" : request.stdin_path,
                                O_RDONLY, "its standard input", error);
      if (in.fd < 0) return -1;
    }
    if (out_fd < 0) {
      out.fd = out_fd = OpenStdio(request.output_path.empty() ? "/dev/null" : request.output_path,
                                  O_WRONLY | O_CREAT | O_TRUNC, "its output", error);
      if (out.fd < 0) return -1;
    }
    ::posix_spawn_file_actions_adddup2(&setup.actions_, in_fd, 0);
    ::posix_spawn_file_actions_adddup2(&setup.actions_, out_fd, 1);
    if (!request.inherit_stderr) ::posix_spawn_file_actions_adddup2(&setup.actions_, out_fd, 2);
  }
  ::posix_spawn_file_actions_addclosefrom_np(&setup.actions_, 3);
  if (!request.cwd.empty()) {
    ::posix_spawn_file_actions_addchdir_np(&setup.actions_, request.cwd.c_str());
  }

  std::vector<char*> argv;
  argv.reserve(request.argv.size() + 1);
  for (const std::string& arg : request.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int failed = ::posix_spawnp(&pid, argv[0], &setup.actions_, &setup.attr_, argv.data(),
                              request.envp != nullptr ? request.envp : environ);
  if (failed != 0) {
    *error = fmt::format("{}: {}", request.argv[0], ::strerror(failed));
    return -1;
  }
  return pid;
}

int OpenPidfd(pid_t pid, std::string* error) {
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) {
    *error = fmt::format("pidfd_open failed: {}", ::strerror(errno));
    return -1;
  }
  ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
  return static_cast<int>(fd);
}

bool ProcessEnded(int pidfd) { return WaitReadable(pidfd, 0); }

void SignalProcess(pid_t pid, bool group, int sig) {
  if (group) {
    ::kill(-pid, sig);
  } else {
    ::kill(pid, sig);
  }
}

ChildExit AwaitChild(pid_t pid, bool group, const std::stop_token& stop, Nanos grace,
                     std::string* error) {
  ChildExit exit;
  if (stop.stop_possible()) {
    int pidfd = OpenPidfd(pid, error);
    int wake = ::eventfd(0, EFD_CLOEXEC);
    if (pidfd < 0 || wake < 0) {
      if (wake < 0) *error = fmt::format("eventfd failed: {}", ::strerror(errno));
      SignalProcess(pid, group, SIGKILL);
    } else {
      std::stop_callback on_stop(stop, [wake] {
        std::uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake, &one, sizeof one);
      });
      pollfd fds[2] = {{pidfd, POLLIN, 0}, {wake, POLLIN, 0}};
      while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
      }
      if ((fds[0].revents & POLLIN) == 0) {
        exit.stopped = true;
        TerminateThenKill(pid, pidfd, group, grace);
      }
    }
    if (pidfd >= 0) ::close(pidfd);
    if (wake >= 0) ::close(wake);
  }
  exit.usage = WaitChild(pid, exit.status);
  if (group) EndProcessGroup(pid, grace);
  if (!error->empty()) exit.status = -1;
  return exit;
}

void EndProcessGroup(pid_t pgid, Nanos grace) {
  if (ReapGroup(pgid)) return;
  ::kill(-pgid, SIGTERM);
  if (PollUntil([pgid] { return ReapGroup(pgid); }, grace)) return;
  ::kill(-pgid, SIGKILL);
  // SIGKILL ends them at once; what is not the caller's child is reaped by its own parent.
  PollUntil([pgid] { return ReapGroup(pgid); }, std::chrono::seconds(2));
}

void BecomeSubreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

}  // namespace concbench
