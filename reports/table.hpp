// The terminal table: a row per (workload, engine), then the problems found, if any.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "results/complexity.hpp"
#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

struct TableOptions {
  bool color = false;    // ANSI colours; the caller decides (TTY, NO_COLOR)
  bool verbose = false;  // the workloads' own figures and every noise warning, one per line
  TimeUnit unit = TimeUnit::kAuto;
  // The width to fit: the richest layout whose lines fit (TableLayout), names shortened if none
  // does; 0: every column, however wide.
  std::size_t columns = 0;
};

// The results, then what they show, each result's problems and its warnings (table_notes.hpp).
void WriteTable(std::ostream& out, const std::vector<Result>& results, TableOptions options);

// The sweeps' fitted complexity, a line per group: "spin on pool over tasks: 1.02 ms·N (O(N)),
// RMS 2 %". Nothing without groups.
void WriteComplexity(std::ostream& out, const std::vector<ComplexityGroup>& groups);

// The suite's claims: expected against measured, pass or FAIL.
void WriteExpectations(std::ostream& out, const std::vector<ExpectationOutcome>& outcomes,
                       TableOptions options);

// Writes `rows` as aligned columns: the first `left` columns align left, the rest right.
// `colors[i]` (an ANSI code or "") colours row i, the header being row 0; `last_colors[i]`
// colours row i's last cell.
void WriteRows(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
               std::size_t left, const std::vector<const char*>& colors,
               const std::vector<const char*>& last_colors);

// "3.02 ± 0.05× faster", "1.50 ± 0.02× slower", "reference".
std::string FormatRelative(const Relative& relative);

}  // namespace concbench
