// What the terminal table says under its rows, in words.
#pragma once

#include <ostream>
#include <vector>

#include "reports/table.hpp"
#include "results/result.hpp"

namespace concbench {

// Under the table: what the run shows (per workload and its parameters: the fastest and slowest
// engine, and each outcome a workload names, with the engines that had it), the workloads' own
// figures (verbose only), why an efficiency is "—", each result's problems, and its warnings, the
// noise warnings folded into one line unless verbose.
void WriteTableNotes(std::ostream& out, const std::vector<Result>& results, TableOptions options);

}  // namespace concbench
