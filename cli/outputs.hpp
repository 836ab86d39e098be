// The outputs `run` and `merge` share: the results file, the exports, the trace, a baseline and
// the terminal table, declared as options and written the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/outputs.hpp"
#include "reports/registry.hpp"
#include "results/complexity.hpp"

namespace concbench {

struct OutputConfig {
  std::string json_path;                       // "-" for stdout; empty for none
  std::string trace_path;                      // Trace Event Format file; empty for none
  std::map<std::string, std::string> exports;  // format -> file ("-" for stdout)
  std::string save_baseline;
  std::string baseline_dir = ".concbench/baselines";
  std::string color = "auto";
  ComplexityOptions complexity;  // --complexity, --complexity-of
};

// Adds --json, --trace, each reporter's --export-FORMAT, --save-baseline, --baseline-dir,
// --complexity, --complexity-of and --color to `command`, bound to `config`. Returns the options
// added but --color.
std::vector<CLI::Option*> AddOutputOptions(CLI::App* command, OutputConfig& config);

// The results file, the exports, the trace and the baseline asked for; {} and *error when the
// baseline's name is not usable.
std::vector<Output> OutputsOf(const OutputConfig& config, std::string* error);

// Prints the table (on stderr when an output goes to stdout), writes the file outputs and the
// output to stdout, and says where each file went. Returns 0, or 2 when a file could not be
// written (`save_error`: an earlier write's failure), the message starting "concbench COMMAND".
int Publish(const std::string& command, const OutputConfig& config,
            const std::vector<Output>& outputs, Report& report, std::string save_error);

}  // namespace concbench
