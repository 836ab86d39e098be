// What the `exec` workload runs, read from its parameters and checked before any task runs: one
// command line per task, with every placeholder expanded.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "concbench/workload.hpp"
#include "util/pattern.hpp"

namespace concbench {

struct ExecTask {
  std::vector<std::string> argv;  // the words to run (/bin/sh -c TEXT with --shell)
  std::string stdin_path;         // "": /dev/null
  std::string output_path;        // where --output keeps stdout and stderr; "": discarded
};

struct ExecConfig {
  std::vector<ExecTask> tasks;
  std::string cwd;                       // "": the harness's
  std::vector<std::string> environment;  // the commands' whole environment, K=V each
  int expect_exit = 0;
  std::optional<Pattern> expect_output;
  TaskKind kind = TaskKind::kCompute;
  std::chrono::nanoseconds grace{};
  nlohmann::json parameters;  // as the results file records them
};

std::vector<ParamSpec> ExecParams();

// --expect-output as a Pattern (exec's and pycall's), or nullopt when not given. Throws
// ParamError naming the option and the pattern when RE2 refuses it.
std::optional<Pattern> ReadExpectOutput(const Params& params);

// Reads --cmd or --cmd-file, --tasks, --shell, --var, --cwd, --env, --stdin, --output,
// --expect-exit, --expect-output, --kind and --grace. Throws ParamError naming the option.
ExecConfig ReadExecConfig(const Params& params);

}  // namespace concbench
