// The terminal table's cells in three layouts, from every column down to what fits 80 columns.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

enum class TableLayout {
  kWide,       // every column
  kEssential,  // workload, engine, median ± stddev, relative, efficiency, tasks and verdict
  kGrouped,    // as kEssential, shorter, under a heading line per point ("sleep delay=1ms")
};

struct TableCells {
  std::vector<std::vector<std::string>> rows;  // the header first
  std::size_t left = 0;                        // the leading columns aligned left
  std::vector<std::string> headings;  // per row, the header first: a line written above it, or ""
  std::string dropped;                // the columns of kWide left out, in words; "" for none
};

// `results`' cells in `layout`, times in `unit`.
TableCells LayoutTable(const std::vector<Result>& results, TableLayout layout, TimeUnit unit);

// The width of the widest line `cells` makes, in columns.
std::size_t TableWidth(const TableCells& cells);

// Shortens the names (the first column, the heading lines) with "…" until every line fits
// `columns`, down to 8 characters a name.
void FitTable(TableCells& cells, std::size_t columns);

}  // namespace concbench
