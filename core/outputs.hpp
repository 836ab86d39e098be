// The files a run writes (results, exports, trace, baseline), each rendered by its reporter.
#pragma once

#include <string>
#include <vector>

#include "reports/registry.hpp"

namespace concbench {

struct Output {
  std::string option;  // for errors: "--json", "--export-csv", "--save-baseline"
  std::string format;  // a reporter's name
  std::string path;    // "-" for stdout
};

// Checks `outputs` before a run: no two land on the same file (by path, `./`, a symlink or a
// hard link) and at most one on stdout ("-" or /dev/stdout), and each file can be written (its
// folder exists; `baseline_dir` is created for --save-baseline). Returns "" or the option and
// the reason.
std::string CheckOutputs(const std::vector<Output>& outputs, const std::string& baseline_dir);

// `report` as `output`'s reporter writes it.
std::string Render(const Output& output, const Report& report);

// Writes every file output (not stdout) with WriteOutputFile; returns "" or the option and the
// reason. Before the `final` write, outputs written through (devices, FIFOs) are left out: they
// get one document, at the end.
std::string SaveFiles(const std::vector<Output>& outputs, const Report& report, bool final = false);

}  // namespace concbench
