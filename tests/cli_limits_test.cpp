// The program under OS limits and signals: a refused thread, no descriptors left, SIGHUP. Each
// case must end (bounded by a deadline here, never a hang) with its exit code and message.
#include <signal.h>
#include <sys/resource.h>

#include <optional>
#include <thread>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

struct Limit {
  int resource;
  rlim_t value;
};

class CliLimits : public Cli {
 protected:
  // Starts concbench under `limits`, in its own process group; with `uid`, as that user (root
  // is exempt from RLIMIT_NPROC). A uid of this test's own keeps other processes out of the count.
  pid_t StartLimited(const std::vector<std::string>& args, const std::vector<Limit>& limits,
                     std::optional<uid_t> uid = std::nullopt) {
    pid_t pid = Start(args, [&limits, uid] {
      ::setpgid(0, 0);
      // ASan's leak check needs a thread of its own at exit, which these limits may refuse.
      ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
      for (const Limit& limit : limits) {
        rlimit value{limit.value, limit.value};
        if (::setrlimit(limit.resource, &value) != 0) ::_exit(126);
      }
      if (uid && (::setgid(*uid) != 0 || ::setuid(*uid) != 0)) ::_exit(126);
    });
    ::setpgid(pid, pid);
    return pid;
  }

  // Waits at most `deadline` for `pid`; a process still running then is killed with its group
  // and reported as hung (exit_code -1).
  Outcome WaitAtMost(pid_t pid, std::chrono::milliseconds deadline) {
    auto until = std::chrono::steady_clock::now() + deadline;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) {
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        Outcome hung;
        hung.err = ReadAll(dir_ / "err");
        return hung;
      }
      std::this_thread::sleep_for(20ms);
    }
    Outcome outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.out = ReadAll(dir_ / "out");
    outcome.err = ReadAll(dir_ / "err");
    return outcome;
  }

  // A user no other process runs as, for RLIMIT_NPROC.
  static uid_t OwnUid() { return 40000 + static_cast<uid_t>(::getpid() % 20000); }

  // Files and folders directly in `folder`.
  static std::size_t Entries(const fs::path& folder) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++count;
    return count;
  }
};

TEST_F(CliLimits, APoolWhoseThreadsTheOsRefusesFailsNamingTheLimitInsteadOfHanging) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run as another user under RLIMIT_NPROC";
  pid_t pid = StartLimited({"run", "-w", "sleep", "-e", "pool", "--workers", "400", "--tasks",
                            "400", "--delay", "1s", "-r", "1", "--warmup", "0", "-q"},
                           {{RLIMIT_NPROC, 40}}, OwnUid());
  Outcome outcome = WaitAtMost(pid, 30s);
  ASSERT_NE(outcome.exit_code, -1) << "hung; stderr: " << outcome.err;
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  // The problems are listed under the table.
  EXPECT_NE(outcome.out.find("--workers 400: the OS refused thread "), std::string::npos)
      << outcome.out;
  EXPECT_NE(outcome.out.find("see ulimit -u"), std::string::npos) << outcome.out;
}

TEST_F(CliLimits, AsioOffloadWhoseThreadsTheOsRefusesFailsNamingTheLimit) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run as another user under RLIMIT_NPROC";
  pid_t pid = StartLimited({"run", "-w", "blocking", "-e", "asio", "--offload", "--workers", "400",
                            "--tasks", "8", "--blocking", "8", "-r", "1", "--warmup", "0", "-q"},
                           {{RLIMIT_NPROC, 40}}, OwnUid());
  Outcome outcome = WaitAtMost(pid, 30s);
  ASSERT_NE(outcome.exit_code, -1) << "hung; stderr: " << outcome.err;
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.out.find("--offload --workers 400: the OS refused thread "), std::string::npos)
      << outcome.out;
}

TEST_F(CliLimits, WithoutAThreadForSignalsARunStillRunsAndSaysSo) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run as another user under RLIMIT_NPROC";
  // One process and no thread more for this user.
  pid_t pid = StartLimited({"run", "-w", "sleep", "-e", "sequential", "--tasks", "2", "--delay",
                            "1ms", "-r", "1", "--warmup", "0", "-q"},
                           {{RLIMIT_NPROC, 1}}, OwnUid());
  Outcome outcome = WaitAtMost(pid, 30s);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_NE(outcome.err.find("cannot start the signal watcher"), std::string::npos) << outcome.err;
}

TEST_F(CliLimits, ARefusedDeadlineThreadFailsTheRunNamingTimeout) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run as another user under RLIMIT_NPROC";
  // The main thread and the signal watcher; no thread for --timeout's deadline.
  pid_t pid = StartLimited({"run", "-w", "sleep", "-e", "sequential", "--timeout", "5s", "--tasks",
                            "2", "--delay", "1ms", "-r", "1", "--warmup", "0", "-q"},
                           {{RLIMIT_NPROC, 2}}, OwnUid());
  Outcome outcome = WaitAtMost(pid, 30s);
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.out.find("--timeout: the OS refused the deadline's thread"), std::string::npos)
      << outcome.out << outcome.err;
}

TEST_F(CliLimits, HttpOnAsioOutOfDescriptorsFailsItsTasksInsteadOfSpinning) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "UBSan's checks open a pipe of their own, which no descriptor is left for";
#endif
  fs::path json = dir_ / "http.json";
  pid_t pid = StartLimited({"run", "-w", "http", "-e", "asio", "--tasks", "80", "-r", "10",
                            "--warmup", "2", "-q", "--json", json.string()},
                           {{RLIMIT_NOFILE, 64}});
  Outcome outcome = WaitAtMost(pid, 30s);
  ASSERT_NE(outcome.exit_code, -1) << "hung; stderr: " << outcome.err;
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(ReadAll(json).find("Too many open files"), std::string::npos);
}

TEST_F(CliLimits, SighupEndsARunLikeSigintAndRemovesTheFileWorkloadsFolder) {
  fs::path files = dir_ / "files";
  fs::create_directories(files);
  pid_t pid = StartLimited({"run", "-w", "file", "-e", "thread", "--tasks", "4", "--size", "32MiB",
                            "--dir", files.string(), "-r", "1000", "-q"},
                           {});
  auto until = std::chrono::steady_clock::now() + 20s;
  while (Entries(files) == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(Entries(files), 1u) << "the run never made its folder";
  std::this_thread::sleep_for(300ms);
  ::kill(pid, SIGHUP);
  auto sent = std::chrono::steady_clock::now();
  Outcome outcome = WaitAtMost(pid, 30s);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 2s);
  EXPECT_EQ(outcome.exit_code, 130) << outcome.err;
  EXPECT_EQ(Entries(files), 0u) << "the file workload's folder outlived the run";
}

TEST_F(CliLimits, TheFirstSignalEndsACommandThatDoesNotStopOnItsOwn) {
  // compare reads its input from a FIFO that nobody writes: it waits, as a long comparison
  // would, until the signal.
  fs::path fifo = dir_ / "base.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  pid_t pid = StartLimited({"compare", fifo.string(), fifo.string()}, {});
  std::this_thread::sleep_for(500ms);
  ::kill(pid, SIGTERM);
  auto sent = std::chrono::steady_clock::now();
  Outcome outcome = WaitAtMost(pid, 10s);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 1s);
  EXPECT_EQ(outcome.exit_code, 130) << outcome.err;
}

}  // namespace
}  // namespace concbench::testing
