// What the `exec` workload runs, read from its parameters and checked before any task runs: one
// command line per task, with every placeholder expanded.
#pragma once

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "concbench/workload.hpp"
#include "util/pattern.hpp"
#include "workloads/exit_statuses.hpp"

namespace concbench {

struct ExecTask {
  std::vector<std::string> argv;  // the words to run (/bin/sh -c TEXT with --shell)
  std::string stdin_path;         // "": /dev/null
  std::string output_path;        // where --output keeps stdout and stderr; "": discarded
                                  // (or shown, with --show-output)
};

struct ExecConfig {
  std::vector<ExecTask> tasks;
  std::string cwd;                       // "": the harness's
  std::vector<std::string> environment;  // the commands' whole environment, K=V each
  ExitStatuses expect_exit;              // --expect-exit, or any with --ignore-failure
  std::optional<Pattern> expect_output;
  bool show_output = false;  // the commands' stdout and stderr are the harness's
  // --setup, --prepare, --conclude and --cleanup (indexed by PointStep), each run through
  // /bin/sh -c, placeholders expanded; "": none.
  std::array<std::string, 4> steps;
  TaskKind kind = TaskKind::kCompute;
  std::chrono::nanoseconds grace{};
  nlohmann::json parameters;  // as the results file records them
};

std::vector<ParamSpec> ExecParams();

// --expect-output as a Pattern (exec's and pycall's), or nullopt when not given. Throws
// ParamError naming the option and the pattern when RE2 refuses it.
std::optional<Pattern> ReadExpectOutput(const Params& params);

// Reads --cmd or --cmd-file, --tasks, --shell, --var, --cwd, --env, --stdin, --output,
// --show-output, --expect-exit, --ignore-failure, --expect-output, --kind, --grace and the point
// steps (--setup, --prepare, --conclude, --cleanup). Throws ParamError naming the option.
ExecConfig ReadExecConfig(const Params& params);

}  // namespace concbench
