// `concbench metg`: sweeps the spin workload's task grain on each engine and reports the
// minimum effective task granularity (METG) at an efficiency threshold, as Task Bench does.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace concbench {

struct MetgConfig {
  std::vector<std::string> engines = {"pool", "process", "thread", "asio"};
  unsigned tasks = 0;    // tasks per point; 0: chosen per point (about 0.1 s of ideal work)
  unsigned workers = 0;  // 0: the usable CPUs
  double threshold = 0.5;
  unsigned repetitions = 3;
  std::string min_grain = "100ns";
  std::string max_grain = "10ms";
  unsigned points_per_decade = 3;
  // The graph options as given (--pattern, --steps, --width, --radix, --period, --fraction,
  // --output-bytes), by name without dashes; empty: independent tasks.
  std::map<std::string, std::string> graph;
  std::string python;     // the Python engines' interpreter; empty: their default
  std::string json_path;  // empty: none
  bool quiet = false;
};

// Adds the `metg` subcommand and its options, bound to `config`.
CLI::App* AddMetgCommand(CLI::App& app, MetgConfig& config);

// Runs it. Returns 0, 1 when a task failed or a check did not pass, 2 on bad input, 130 when
// interrupted by `stop` (the finished points are still written).
int ExecuteMetg(const MetgConfig& config, const Context& context, std::stop_token stop);

}  // namespace concbench
