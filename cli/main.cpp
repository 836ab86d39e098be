// concbench::Main: the command line, for the concbench program and for programs that register
// workloads of their own (cli/entry.cpp holds the program's main).
#include <fmt/format.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <optional>
#include <stop_token>
#include <thread>

#include "cli/ab.hpp"
#include "cli/compare.hpp"
#include "cli/help.hpp"
#include "cli/list.hpp"
#include "cli/merge.hpp"
#include "cli/metg.hpp"
#include "cli/mpirun.hpp"
#include "cli/run.hpp"
#include "concbench/main.hpp"
#include "concbench/params.hpp"
#include "core/names.hpp"
#include "core/registry_check.hpp"
#include "engines/mpi_rank.hpp"
#include "reports/context.hpp"

namespace {

// Ends the process at once with `status`, every thread with it, like _exit. Made directly, as
// exit_group: a sanitizer's _exit first waits and checks its threads while the others go on.
[[noreturn]] void EndNow(int status) {
  ::syscall(SYS_exit_group, status);
  ::_exit(status);  // not reached
}

// Takes SIGINT, SIGTERM and SIGHUP for the whole program. Until Cooperate(), the first one
// ends the process at once with status 130 (nothing is under way that needs undoing); after,
// it requests `stop`, which the command honours, and a second signal, or a command still
// running kGiveUp after the first, ends the process at once with status 130.
class SignalWatcher {
 public:
  explicit SignalWatcher(std::stop_source stop) {
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, signal);
    // A thread started before this one (a sanitizer's) does not block them: there a handler
    // passes the signal on to the watcher instead of the default action ending the process. It
    // is in place before they are blocked, so no moment is left where that thread would die.
    struct sigaction forward {};
    forward.sa_handler = [](int signal) { caught_elsewhere.store(signal); };
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &forward, nullptr);
    // Blocked before the thread starts, so every thread started after inherits the mask.
    ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    try {
      thread_ = std::jthread(
          [this, signals, stop](std::stop_token done) mutable { Watch(signals, stop, done); });
    } catch (const std::exception& e) {
      // No thread to take them: signals end the process at once (async-signal-safe).
      struct sigaction action {};
      action.sa_handler = [](int) { EndNow(130); };
      for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
      ::pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
      if (caught_elsewhere.load() != 0) EndNow(130);
      std::fprintf(stderr,
                   "concbench: warning: cannot start the signal watcher (%s); SIGINT, SIGTERM "
                   "and SIGHUP end the program at once\n",
                   e.what());
    }
  }

  // From now on the first signal requests stop instead of ending the process.
  void Cooperate() { cooperative_ = true; }

 private:
  static constexpr std::chrono::seconds kGiveUp{10};

  void Watch(const sigset_t& signals, std::stop_source& stop, std::stop_token done) {
    const timespec tick{0, 50'000'000};
    std::optional<std::chrono::steady_clock::time_point> give_up;
    while (!done.stop_requested()) {
      int signal = ::sigtimedwait(&signals, nullptr, &tick);
      // Passed on by the handler: only ever a first signal (a sanitizer's thread can see the
      // same signal the watcher takes, and that must not count as a second one).
      if (signal < 0 && caught_elsewhere.exchange(0) > 0 && !stop.stop_requested()) signal = SIGINT;
      if (signal <= 0) {
        if (give_up && std::chrono::steady_clock::now() >= *give_up) {
          std::fprintf(stderr, "concbench: still stopping after %lld s; ending at once\n",
                       static_cast<long long>(kGiveUp.count()));
          EndNow(130);
        }
        continue;
      }
      if (!cooperative_ || stop.stop_requested()) EndNow(130);
      stop.request_stop();
      give_up = std::chrono::steady_clock::now() + kGiveUp;
    }
  }

  static inline std::atomic<int> caught_elsewhere{0};  // lock-free: safe in a handler
  std::atomic<bool> cooperative_{false};
  std::jthread thread_;  // last: joined before the members it reads are destroyed
};

// Prints why the registries cannot be used, if they cannot; true when it printed something.
bool ReportRegistryProblems() {
  std::vector<std::string> problems = concbench::RegistryProblems();
  for (const std::string& problem : problems) fmt::print(stderr, "concbench: {}\n", problem);
  return !problems.empty();
}

// Flushes stdout at the end of a command: a write error (a full disk, a closed pipe) fails it
// with status 2, or keeps 130 when the command was interrupted.
int FinishStdout(int status) {
  int earlier = errno;  // likely the reason when an earlier write failed
  std::cout.flush();
  errno = 0;
  bool flushed = std::fflush(stdout) == 0;
  if (flushed && !std::ferror(stdout) && std::cout.good()) return status;
  int reason = !flushed && errno != 0 ? errno : earlier;
  bool known = reason == ENOSPC || reason == EPIPE || reason == EIO || reason == EFBIG ||
               reason == EDQUOT || reason == EBADF;
  fmt::print(stderr, "concbench: cannot write to stdout: {}\n",
             known ? ::strerror(reason) : "a write failed");
  return status == 130 ? status : 2;
}

// Prints help (narrowed to the workloads and engines given to `run`), or the error with a "did
// you mean" for a mistyped option and a pointer to the command's help; returns the status.
int ReportParseError(CLI::App& app, const CLI::ParseError& e, int argc, char** argv,
                     concbench::RunConfig& run_config) {
  std::vector<std::string> args(argv + 1, argv + argc);
  CLI::App* command = nullptr;
  for (CLI::App* sub : app.get_subcommands({})) {
    if (!args.empty() && args.front() == sub->get_name()) command = sub;
  }
  if (e.get_exit_code() == 0) {  // --help, --version
    if (command != nullptr && command->get_name() == "run") {
      std::vector<std::string> plugins = run_config.request.workloads;
      plugins.insert(plugins.end(), run_config.request.engines.begin(),
                     run_config.request.engines.end());
      concbench::FocusParamHelp(run_config.params, plugins);
    }
    return app.exit(e);
  }
  std::string message = e.what();
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  if (!args.empty() && args.front()[0] != '-' && command == nullptr) {
    message = concbench::UnknownNameMessage("command", args.front(), commands);
  } else if (command != nullptr) {  // a mistyped option is the likely cause of any error
    std::string unknown = concbench::UnknownOptionMessage(
        *command, std::vector<std::string>(args.begin() + 1, args.end()));
    if (!unknown.empty()) message = unknown;
  }
  std::string help =
      command != nullptr ? "concbench " + command->get_name() + " --help" : "concbench --help";
  fmt::print(stderr, "concbench: {}\nRun '{}' for usage.\n", message, help);
  return 2;
}

// Where and how the results are measured, the MPI world included.
concbench::Context ContextOf(int argc, char** argv) {
  concbench::Context context = concbench::CollectContext(argc, argv);
  if (const concbench::MpiWorld* world = concbench::CurrentMpiWorld()) {
    context.mpi = concbench::MpiWorldJson(*world);
  }
  return context;
}

// The command line's command, run; its exit status.
int RunCommand(int argc, char** argv) {
  if (ReportRegistryProblems()) return 2;
  // A closed pipe downstream (`concbench run | head`) is a write error, not a silent death.
  ::signal(SIGPIPE, SIG_IGN);
  std::stop_source stop;
  SignalWatcher watcher(stop);

  CLI::App app{"concbench: threads, a pool, processes or coroutines: which one, and at what cost"};
  app.set_version_flag("--version", CONCBENCH_VERSION);
  app.require_subcommand(1);
  app.formatter(std::make_shared<concbench::HelpFormatter>());  // the subcommands inherit it
  concbench::RunConfig run_config;
  CLI::App* run = nullptr;
  try {
    run = concbench::AddRunCommand(app, run_config);
  } catch (const concbench::ParamError& e) {  // a registered parameter named like an option
    fmt::print(stderr, "concbench: {}\n", e.what());
    return 2;
  }
  concbench::CompareConfig compare_config;
  CLI::App* compare = concbench::AddCompareCommand(app, compare_config);
  concbench::AbConfig ab_config;
  CLI::App* ab = concbench::AddAbCommand(app, ab_config);
  concbench::MergeConfig merge_config;
  CLI::App* merge = concbench::AddMergeCommand(app, merge_config);
  CLI::App* list = app.add_subcommand("list", "List engines and workloads with their parameters");
  concbench::MetgConfig metg_config;
  CLI::App* metg = concbench::AddMetgCommand(app, metg_config);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ReportParseError(app, e, argc, argv, run_config);
  }
  try {
    if (list->parsed()) {
      concbench::WriteList(std::cout);
      return 0;
    }
    if (compare->parsed()) return concbench::ExecuteCompare(compare_config);
    if (merge->parsed()) return concbench::ExecuteMerge(merge_config);
    if (ab->parsed()) {
      watcher.Cooperate();
      return concbench::ExecuteAb(ab_config, stop.get_token());
    }
    if (run->parsed()) {
      watcher.Cooperate();  // run and metg honour the stop token in every phase
      run_config.args.assign(argv + 1, argv + argc);
      return concbench::ExecuteRun(run_config, ContextOf(argc, argv), stop.get_token());
    }
    if (metg->parsed()) {
      watcher.Cooperate();
      return concbench::ExecuteMetg(metg_config, ContextOf(argc, argv), stop.get_token());
    }
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "concbench: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "concbench: {}\n", e.what());
    return 1;
  } catch (...) {  // never std::terminate: unwinding removes what the run created
    fmt::print(stderr, "concbench: unknown exception\n");
    return 1;
  }
  return 2;
}

// A process mpirun started: rank 0 runs the command line, the others serve it tasks (see
// engines/mpi_world); returns the exit status.
int RunRank(int argc, char** argv) {
  const concbench::MpiWorld* world = nullptr;
  try {
    world = concbench::JoinMpiWorld(&argc, &argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "concbench: {}\n", e.what());
    return 1;
  }
  if (world->rank != 0) {
    // mpirun ends a job with SIGTERM: rank 0 then stops the ranks' tasks itself and says quit.
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::signal(signal, SIG_IGN);
    return concbench::ServeRank(*world);
  }
  concbench::MarkJobLaunched();
  int status = FinishStdout(RunCommand(argc, argv));
  concbench::LeaveMpiWorld();
  return status;
}

}  // namespace

int concbench::Main(int argc, char** argv) {
  if (concbench::StartedByMpirun()) return RunRank(argc, argv);
  return FinishStdout(RunCommand(argc, argv));
}
