// The subcommands as one table, after ninja's tool table: a row names a command, says whether it
// honours a stop request, and adds it to the command line; what it adds runs the command once it
// is the one parsed. cli/main.cpp walks the table; a new command is a row here and a file pair.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <stop_token>
#include <string_view>
#include <vector>

namespace concbench {

// What a command runs with: the whole command line, and the stop requested by a first SIGINT,
// SIGTERM or SIGHUP (only for a command that cooperates).
struct CommandCall {
  int argc = 0;
  char** argv = nullptr;
  std::stop_token stop;
};

// A command added to the command line. Its functions own the options' values.
struct AddedCommand {
  CLI::App* app = nullptr;
  std::function<int(const CommandCall&)> execute;  // returns the exit status
  std::function<void()> before_help;               // may narrow its --help; may be empty
};

struct CommandInfo {
  std::string_view name;
  // True when the command honours the stop token in every phase: a first signal requests a stop
  // and it ends cleanly; false, a signal ends the program at once with status 130.
  bool cooperates;
  // Adds the command and its options to `app`. Throws ParamError when a registered parameter is
  // named like one of its options.
  AddedCommand (*add)(CLI::App& app);
};

const std::vector<CommandInfo>& CommandTable();

}  // namespace concbench
