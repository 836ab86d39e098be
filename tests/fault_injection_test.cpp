// Fault injection through the real binary: limits a run cannot meet (threads and processes,
// descriptors, memory), a worker killed mid-run, and SIGINT/SIGTERM/SIGHUP at random points of
// runs on every engine. Each case checks the exit code, the message, the time to exit, that no
// process of the run is left, that no temporary folder is left, and that the results file is
// absent or valid. Each prints one row of the matrix:
//   fault | CASE | exit N | S s | leftovers
// CONCBENCH_FAULT_SEED=N repeats the random signal times of an earlier run (it prints its seed).
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "tests/cli_fixture.hpp"
#include "tests/sanitized.hpp"

namespace concbench::testing {
namespace {

constexpr const char* kEngines[] = {"sequential", "thread", "pool", "process", "asio"};

// A user no other process runs as, for RLIMIT_NPROC: it counts that user's processes only.
uid_t OwnUid() { return 40000 + static_cast<uid_t>(::getpid() % 20000); }

// What a case imposes on the run before it starts; 0 leaves a limit as it is.
struct Limits {
  rlim_t processes = 0;      // RLIMIT_NPROC, counted for the user (OwnUid) the run becomes
  rlim_t descriptors = 0;    // RLIMIT_NOFILE
  rlim_t address_space = 0;  // RLIMIT_AS, in bytes
};

// How a run ended.
struct Ending {
  int exit_code = -1;
  double seconds = 0;  // from the fault (a signal, a kill, or the start) to the exit
  std::string text;    // stdout and stderr
  std::string leftovers;
};

std::mt19937& Random() {
  static std::mt19937 random = [] {
    const char* given = std::getenv("CONCBENCH_FAULT_SEED");
    unsigned seed =
        given ? static_cast<unsigned>(std::strtoul(given, nullptr, 10)) : std::random_device{}();
    std::printf("fault | seed %u (CONCBENCH_FAULT_SEED to repeat)\n", seed);
    return std::mt19937(seed);
  }();
  return random;
}

// A random point of a run: from just after it took charge of its signals to well into its
// measuring.
std::chrono::milliseconds RandomPoint() {
  return std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 800)(Random()));
}

// Waits until process `pid` catches `signal` (before that, the signal's default action ends it:
// nothing a program can change before its main runs); false if it never does. Being blocked is
// not enough: a thread that does not block it (a sanitizer's) would take it.
bool AwaitSignalsTaken(pid_t pid, int signal) {
  for (int tries = 0; tries < 1000; ++tries) {
    std::istringstream status(ReadAll(fs::path("/proc") / std::to_string(pid) / "status"));
    unsigned long long taken = 0;
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("SigCgt:", 0) == 0) {
        taken |= std::stoull(line.substr(7), nullptr, 16);
      }
    }
    if (taken & (1ull << (signal - 1))) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

class Faults : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    tmp_ = dir_ / "tmp";
    fs::create_directories(tmp_);
    // A run as another user writes its results and temporary folders here too.
    fs::permissions(dir_, fs::perms::all);
    fs::permissions(tmp_, fs::perms::all);
  }

  // Starts `run ARGS -q --json dir_/results.json` with TMPDIR in dir_ and `limits` set.
  pid_t StartRun(std::vector<std::string> args, const Limits& limits = {}) {
    args.insert(args.begin(), "run");
    for (const char* extra : {"-q", "--json"}) args.push_back(extra);
    args.push_back(results().string());
    fs::remove(results());
    return Start(args, [this, limits] {
      ::setenv("TMPDIR", tmp_.c_str(), 1);
      // ASan's leak check needs a thread of its own at exit, which a process limit may refuse.
      if (limits.processes != 0) ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
      ::setpgid(0, 0);
      auto set = [](int resource, rlim_t value) {
        rlimit limit{value, value};
        if (value != 0 && ::setrlimit(resource, &limit) != 0) ::_exit(126);
      };
      set(RLIMIT_NOFILE, limits.descriptors);
      set(RLIMIT_AS, limits.address_space);
      if (limits.processes != 0) {
        set(RLIMIT_NPROC, limits.processes);
        // The limit counts a user's processes and is not enforced for root.
        if (::setgroups(0, nullptr) != 0 || ::setgid(OwnUid()) != 0 || ::setuid(OwnUid()) != 0) {
          ::_exit(126);
        }
      }
    });
  }

  // Waits up to `bound` for `pid`, timed from `from`. A run still alive then is killed, with
  // every process of it, and reported as hung (exit -1).
  Ending Finish(pid_t pid, std::chrono::steady_clock::time_point from, std::chrono::seconds bound) {
    Ending ending;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() - from > bound) {
        ::kill(-pid, SIGKILL);
        KillEverythingOfTheRun();
        ::waitpid(pid, &status, 0);
        status = -1;
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
    ending.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
    if (status != -1) {
      ending.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ending.text = ReadAll(dir_ / "out") + ReadAll(dir_ / "err");
    ending.leftovers = Leftovers();
    return ending;
  }

  // What outlived the run: its processes (given two seconds to go) and temporary entries.
  std::string Leftovers() {
    auto deadline = std::chrono::steady_clock::now() + 2s;
    while (AnyProcessMentions(dir_.string()) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    std::string left;
    if (AnyProcessMentions(dir_.string())) {
      left += "processes ";
      KillEverythingOfTheRun();
    }
    for (const auto& entry : fs::directory_iterator(tmp_)) {
      left += entry.path().filename().string() + " ";
      fs::remove_all(entry.path());
    }
    return left;
  }

  void KillEverythingOfTheRun() {
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string cmdline = ReadAll(entry.path() / "cmdline");
      if (cmdline.find(dir_.string()) != std::string::npos) ::kill(std::stoi(name), SIGKILL);
    }
  }

  // Checks what every case shares, and prints the case's row of the matrix.
  void Check(const std::string& name, const Ending& ending, std::chrono::seconds bound) {
    std::printf("fault | %-40s | exit %3d | %5.2f s | %s\n", name.c_str(), ending.exit_code,
                ending.seconds, ending.leftovers.empty() ? "none" : ending.leftovers.c_str());
    EXPECT_NE(ending.exit_code, -1) << name << ": still running after " << bound.count() << " s";
    EXPECT_EQ(ending.leftovers, "") << name;
    EXPECT_EQ(ending.text.find("terminate called"), std::string::npos) << name << ending.text;
    EXPECT_EQ(ending.text.find("Sanitizer"), std::string::npos) << name << ending.text;
    if (!fs::exists(results())) return;
    nlohmann::json document = nlohmann::json::parse(ReadAll(results()), nullptr, false);
    EXPECT_TRUE(document.is_object() && document["results"].is_array())
        << name << ": an invalid results file: " << ReadAll(results());
  }

  // Sends `signal` at a random point of a run of `args`; checks it ends interrupted and clean.
  void Interrupt(const std::string& name, const std::vector<std::string>& args, int signal) {
    pid_t pid = StartRun(args);
    EXPECT_TRUE(AwaitSignalsTaken(pid, signal)) << name << ": never took " << signal;
    std::this_thread::sleep_for(RandomPoint());
    auto sent = std::chrono::steady_clock::now();
    ::kill(pid, signal);
    Ending ending = Finish(pid, sent, 10s);
    Check(name + " " + ::sigabbrev_np(signal), ending, 10s);
    EXPECT_LT(ending.seconds, 5) << name;
    if (signal == SIGHUP) {
      EXPECT_TRUE(ending.exit_code == 129 || ending.exit_code == 130) << name << ending.text;
    } else {
      EXPECT_EQ(ending.exit_code, 130) << name << ending.text;
    }
  }

  fs::path results() const { return dir_ / "results.json"; }

  fs::path tmp_;
};

TEST_F(Faults, SignalsAtRandomPointsEndEveryEngineCleanly) {
  for (const char* engine : kEngines) {
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
      Interrupt(std::string("sleep on ") + engine,
                {"-w", "sleep", "-e", engine, "--tasks", "20", "--delay", "2s", "-r", "3",
                 "--warmup", "0"},
                signal);
    }
  }
}

// The file workload's temporary folder and the exec workload's commands go with the run.
TEST_F(Faults, SignalsLeaveNoTemporaryFolderAndNoCommand) {
  fs::create_symlink("/bin/sleep", dir_ / "nap");  // its command lines name dir_
  for (const char* engine : kEngines) {
    Interrupt(std::string("file on ") + engine,
              {"-w", "file", "-e", engine, "--tasks", "20", "--size", "256KiB", "-r", "1000",
               "--warmup", "0"},
              SIGHUP);
    Interrupt(std::string("exec on ") + engine,
              {"-w", "exec", "--cmd", (dir_ / "nap").string() + " 30", "-e", engine, "--tasks", "4",
               "-r", "1", "--warmup", "0"},
              SIGTERM);
  }
}

TEST_F(Faults, AKilledWorkerFailsItsTaskAndLeavesNothing) {
  pid_t pid = StartRun({"-w", "sleep", "-e", "process", "--tasks", "20", "--delay", "200ms", "-r",
                        "1", "--warmup", "0"});
  pid_t worker = 0;
  for (int tries = 0; tries < 500 && worker == 0; ++tries) {
    std::this_thread::sleep_for(10ms);
    std::string children = ReadAll(fs::path("/proc") / std::to_string(pid) / "task" /
                                   std::to_string(pid) / "children");
    if (!children.empty()) worker = std::stoi(children);
  }
  ASSERT_NE(worker, 0) << "no worker process appeared";
  std::this_thread::sleep_for(300ms);
  auto killed = std::chrono::steady_clock::now();
  ::kill(worker, SIGKILL);
  Ending ending = Finish(pid, killed, 30s);
  Check("process worker SIGKILL", ending, 30s);
  EXPECT_EQ(ending.exit_code, 1) << ending.text;
  EXPECT_NE(ending.text.find("killed by SIGKILL"), std::string::npos) << ending.text;
}

// Every pool starts its threads itself: a refused one stops the others and fails the run.
TEST_F(Faults, RefusedThreadsAndProcessesFailTheRunAndSayWhy) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run as another user under RLIMIT_NPROC";
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string says;
  };
  // Tasks long enough that the threads started hold one while the next ones are asked for
  // (a pool whose workers run out of work can end them faster than the OS refuses more).
  const std::vector<Case> cases = {
      {"thread", {"-e", "thread", "-w", "sleep", "--delay", "1s"}, "refused thread"},
      {"pool --workers 300",
       {"-e", "pool", "--workers", "300", "-w", "sleep", "--delay", "1s"},
       "refused thread"},
      {"asio --offload --workers 300",
       {"-e", "asio", "--offload", "--workers", "300", "-w", "spin", "--grain", "1ms"},
       "refused thread"},
      {"process --workers 300",
       {"-e", "process", "--workers", "300", "-w", "sleep", "--delay", "10ms"},
       "fork"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    for (const char* extra : {"--tasks", "300", "-r", "1", "--warmup", "0"}) {
      args.push_back(extra);
    }
    auto start = std::chrono::steady_clock::now();
    Ending ending = Finish(StartRun(args, {.processes = 40}), start, 60s);
    Check("nproc 40: " + c.name, ending, 60s);
    EXPECT_EQ(ending.exit_code, 1) << c.name << ending.text;
    EXPECT_NE(ending.text.find(c.says), std::string::npos) << c.name << ending.text;
  }
}

// The threads the harness itself needs: without them a run still runs, or fails naming them.
TEST_F(Faults, RefusedThreadsOfTheHarnessItselfAreNamed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run as another user under RLIMIT_NPROC";
  const std::vector<std::string> sleep = {"-w",      "sleep", "-e", "sequential", "--tasks",  "2",
                                          "--delay", "1ms",   "-r", "1",          "--warmup", "0"};
  // One process and no thread more: no signal watcher, so signals end it at once.
  auto start = std::chrono::steady_clock::now();
  Ending ending = Finish(StartRun(sleep, {.processes = 1}), start, 30s);
  Check("nproc 1: no signal watcher", ending, 30s);
  EXPECT_EQ(ending.exit_code, 0) << ending.text;
  EXPECT_NE(ending.text.find("cannot start the signal watcher"), std::string::npos) << ending.text;
  // The main thread and the signal watcher; no thread for --timeout's deadline.
  std::vector<std::string> timed = sleep;
  for (const char* extra : {"--timeout", "5s"}) timed.push_back(extra);
  start = std::chrono::steady_clock::now();
  ending = Finish(StartRun(timed, {.processes = 2}), start, 30s);
  Check("nproc 2: no deadline thread", ending, 30s);
  EXPECT_EQ(ending.exit_code, 1) << ending.text;
  EXPECT_NE(ending.text.find("--timeout: the OS refused the deadline's thread"), std::string::npos)
      << ending.text;
}

// compare reads its input from a FIFO that nobody writes: it waits, as a long comparison would,
// and the first signal ends it.
TEST_F(Faults, TheFirstSignalEndsACommandThatDoesNotStopOnItsOwn) {
  fs::path fifo = dir_ / "base.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  pid_t pid = Start({"compare", fifo.string(), fifo.string()}, [] { ::setpgid(0, 0); });
  EXPECT_TRUE(AwaitSignalsTaken(pid, SIGTERM));
  std::this_thread::sleep_for(300ms);
  auto sent = std::chrono::steady_clock::now();
  ::kill(pid, SIGTERM);
  Ending ending = Finish(pid, sent, 10s);
  Check("compare waiting on a FIFO TERM", ending, 10s);
  EXPECT_EQ(ending.exit_code, 130) << ending.text;
  EXPECT_LT(ending.seconds, 2);
}

// Out of descriptors: tasks fail with the reason or the run completes, never a spin or a hang.
TEST_F(Faults, RunningOutOfDescriptorsNeverHangs) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "UBSan's checks open a pipe of their own, which no descriptor is left for";
#endif
  for (const char* engine : kEngines) {
    auto start = std::chrono::steady_clock::now();
    Ending ending = Finish(StartRun({"-w", "http", "-e", engine, "--tasks", "200", "--latency",
                                     "20ms", "-r", "1", "--warmup", "0"},
                                    {.descriptors = 64}),
                           start, 60s);
    Check(std::string("nofile 64: http on ") + engine, ending, 60s);
    EXPECT_TRUE(ending.exit_code == 0 || ending.exit_code == 1) << engine << ending.text;
    if (ending.exit_code == 1) {
      EXPECT_NE(ending.text.find("Too many open files"), std::string::npos) << ending.text;
    }
  }
}

// Out of memory: exit 1 with the reason, and the points that finished are in the results.
TEST_F(Faults, RunningOutOfMemoryIsACleanFailure) {
  if (kSanitized) GTEST_SKIP() << "sanitizers reserve more address space than RLIMIT_AS allows";
  const Limits limits{.address_space = rlim_t{1} << 30};
  for (const char* engine : {"asio", "thread"}) {
    auto start = std::chrono::steady_clock::now();
    Ending ending = Finish(StartRun({"-w", "sleep", "-e", engine, "--sweep", "tasks=10,4000000",
                                     "--delay", "10ms", "-r", "1", "--warmup", "0"},
                                    limits),
                           start, 120s);
    Check(std::string("as 1GiB: sleep on ") + engine, ending, 120s);
    EXPECT_EQ(ending.exit_code, 1) << engine << ending.text;
    if (!fs::exists(results())) {
      ADD_FAILURE() << engine << ": no results file for the point that finished" << ending.text;
      continue;
    }
    nlohmann::json document = nlohmann::json::parse(ReadAll(results()));
    ASSERT_GE(document["results"].size(), 1u) << engine << document.dump();
    EXPECT_EQ(document["results"][0]["tasks"]["total"], 10) << document.dump();
    EXPECT_EQ(document["results"][0]["verified"], true) << document.dump();
    // The point that ran out is there too when memory was left to summarise it: unverified,
    // with the reason.
    ASSERT_LE(document["results"].size(), 2u) << engine << document.dump();
    if (document["results"].size() == 2) {
      const nlohmann::json& failed = document["results"][1];
      EXPECT_EQ(failed["verified"], false) << failed.dump();
      EXPECT_NE(failed["unverified_reason"].get<std::string>().find("out of memory"),
                std::string::npos)
          << failed.dump();
    }
  }
}

}  // namespace
}  // namespace concbench::testing
