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
  std::string columns = "auto";    // the table's width: auto, wide, normal or narrow
  std::string sort = "auto";       // the table's and markup exports' order: auto, name, median
  std::string time_unit = "auto";  // the table's and markup exports' times: auto, s, ms, us, ns
  bool verbose = false;            // -v: the table's notes in full
  ComplexityOptions complexity;    // --complexity, --complexity-of
};

// Adds --json, --trace, each reporter's --export-FORMAT, --save-baseline, --baseline-dir,
// --complexity, --complexity-of, --color, --columns, --sort, --time-unit and -v to `command`,
// bound to `config`. Returns the options added but the last five (the table's).
std::vector<CLI::Option*> AddOutputOptions(CLI::App* command, OutputConfig& config);

// The results file, the exports, the trace and the baseline asked for; {} and *error when the
// baseline's name is not usable.
std::vector<Output> OutputsOf(const OutputConfig& config, std::string* error);

// The width the table fits for `columns` ("auto": the terminal's that `fd` writes to, 0 when
// unknown; "wide": 0, no limit; "normal": 100; "narrow": 80).
std::size_t TableColumns(const std::string& columns, int fd);

// Prints the table (on stderr when an output goes to stdout), in the order and the unit asked
// for, writes the file outputs and the
// output to stdout, and says where each file went. Returns 0, or 2 when a file could not be
// written (`save_error`: an earlier write's failure), the message starting "concbench COMMAND".
int Publish(const std::string& command, const OutputConfig& config,
            const std::vector<Output>& outputs, Report& report, std::string save_error);

}  // namespace concbench
