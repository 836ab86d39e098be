// concbench::Main: the command line, for the concbench program and for programs that register
// workloads of their own (cli/entry.cpp holds the program's main).
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <stop_token>

#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "cli/mpirun.hpp"
#include "concbench/main.hpp"
#include "concbench/params.hpp"
#include "core/names.hpp"
#include "core/registry_check.hpp"
#include "engines/mpi_rank.hpp"
#include "util/format.hpp"
#include "util/signal_watcher.hpp"

namespace {

// Prints why the registries cannot be used, if they cannot; true when it printed something.
bool ReportRegistryProblems() {
  std::vector<std::string> problems = concbench::RegistryProblems();
  for (const std::string& problem : problems) fmt::print(stderr, "concbench: {}\n", problem);
  return !problems.empty();
}

// Flushes stdout at the end of a command: a write error (a full disk) fails it with status 2, or
// keeps 130 when the command was interrupted; a closed pipe keeps the command's status, quietly.
int FinishStdout(int status) {
  int earlier = errno;  // likely the reason when an earlier write failed
  std::cout.flush();
  errno = 0;
  bool flushed = std::fflush(stdout) == 0;
  if (flushed && !std::ferror(stdout) && std::cout.good()) return status;
  int reason = !flushed && errno != 0 ? errno : earlier;
  // A reader that went away (`concbench list | head -1`) wants no more: that ends quietly. The
  // failed write may be long past (a stream keeps no errno), so the pipe itself is asked too.
  pollfd out{STDOUT_FILENO, 0, 0};
  bool reader_gone = ::poll(&out, 1, 0) == 1 && (out.revents & POLLERR) != 0;
  if (reason == EPIPE || reader_gone) return status;
  bool known = reason == ENOSPC || reason == EPIPE || reason == EIO || reason == EFBIG ||
               reason == EDQUOT || reason == EBADF;
  fmt::print(stderr, "concbench: cannot write to stdout: {}\n",
             known ? ::strerror(reason) : "a write failed");
  return status == 130 ? status : 2;
}

// Prints help (a command's own, narrowed by its before_help), or the error with a "did you mean"
// for a mistyped option and a pointer to the command's help; returns the status.
int ReportParseError(CLI::App& app, const CLI::ParseError& e, int argc, char** argv,
                     const std::vector<concbench::AddedCommand>& added) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const concbench::AddedCommand* command = nullptr;
  for (const concbench::AddedCommand& one : added) {
    if (!args.empty() && args.front() == one.app->get_name()) command = &one;
  }
  if (e.get_exit_code() == 0) {  // --help, --version
    if (command != nullptr && command->before_help) command->before_help();
    return app.exit(e);
  }
  std::string message = e.what();
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  if (!args.empty() && args.front()[0] != '-' && command == nullptr) {
    message = concbench::UnknownNameMessage("command", args.front(), commands);
  } else if (command != nullptr) {  // a mistyped option is the likely cause of any error
    std::string unknown = concbench::UnknownOptionMessage(
        *command->app, std::vector<std::string>(args.begin() + 1, args.end()));
    if (!unknown.empty()) message = unknown;
  }
  std::string help =
      command != nullptr ? "concbench " + command->app->get_name() + " --help" : "concbench --help";
  fmt::print(stderr, "concbench: {}\nRun '{}' for usage.\n", message, help);
  return 2;
}

// The command line's command, run; its exit status.
int RunCommand(int argc, char** argv) {
  if (ReportRegistryProblems()) return 2;
  // A closed pipe downstream (`concbench run | head`) is a write error, not a silent death.
  ::signal(SIGPIPE, SIG_IGN);
  std::stop_source stop;
  concbench::SignalWatcher watcher(stop);

  CLI::App app{"concbench: threads, a pool, processes or coroutines: which one, and at what cost"};
  app.set_version_flag("--version", CONCBENCH_VERSION);
  app.require_subcommand(1);
  // The subcommands inherit the formatter.
  app.formatter(std::make_shared<concbench::HelpFormatter>(
      concbench::HelpColumns(concbench::TerminalColumns(STDOUT_FILENO))));
  std::vector<concbench::AddedCommand> added;
  try {
    for (const concbench::CommandInfo& info : concbench::CommandTable()) {
      added.push_back(info.add(app));
    }
  } catch (const concbench::ParamError& e) {  // a registered parameter named like an option
    fmt::print(stderr, "concbench: {}\n", e.what());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ReportParseError(app, e, argc, argv, added);
  }
  try {
    for (std::size_t i = 0; i < added.size(); ++i) {
      if (!added[i].app->parsed()) continue;
      if (concbench::CommandTable()[i].cooperates) watcher.Cooperate();
      return added[i].execute({argc, argv, stop.get_token()});
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

}  // namespace

int concbench::Main(int argc, char** argv) {
  if (concbench::StartedByMpirun()) {
    return concbench::RunAsRank(argc, argv, [](int rank_argc, char** rank_argv) {
      concbench::MarkJobLaunched();
      return FinishStdout(RunCommand(rank_argc, rank_argv));
    });
  }
  return FinishStdout(RunCommand(argc, argv));
}
