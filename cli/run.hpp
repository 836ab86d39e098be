// `concbench run`: measures the chosen workloads on the chosen engines, or a suite.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <stop_token>
#include <string>

#include "cli/options.hpp"
#include "cli/outputs.hpp"
#include "core/request.hpp"
#include "results/result.hpp"

namespace concbench {

struct RunConfig {
  RunRequest request;  // what to measure; request.given and .values are filled by ExecuteRun
  bool no_interleave = false;
  std::string reference;  // engine the relative speeds are against; empty: the default
  std::string shard;      // "K/N": measure only that slice of the points; empty for all
  OutputConfig output;
  bool quiet = false;
  ParamOptions params;                          // workload and engine parameters
  std::map<std::string, CLI::Option*> options;  // run's own options, by long name
  std::vector<std::string> args;  // the command line after the program's name (for mpirun)
};

// Adds the `run` subcommand and its options, bound to `config`. Throws ParamError when a
// workload or engine parameter has the name of one of run's own options.
CLI::App* AddRunCommand(CLI::App& app, RunConfig& config);

// Runs it. Returns the exit status: 0 all verified (and every suite claim held), 1 a task
// failed, a check did not pass or a claim did not hold, 2 bad input, 130 interrupted by `stop`.
int ExecuteRun(RunConfig& config, const Context& context, std::stop_token stop);

}  // namespace concbench
