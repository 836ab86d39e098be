// The table the markup exports share (Markdown, AsciiDoc, Org mode): its columns and one row of
// text cells per result; each export adds only its syntax and escapes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

enum class Align { kLeft, kRight, kCenter };

struct MarkupColumn {
  std::string heading;
  Align align;
};

struct MarkupTable {
  std::vector<MarkupColumn> columns;
  std::vector<std::vector<std::string>> rows;  // a cell per column
};

// Workload, engine, parameters, median ± stddev, 95% CI of the median, relative, efficiency,
// peak RSS and verified (✅ or ❌) of each result, in the order given, times in `unit`; every
// heading and cell passed through `escape` (the export's own escapes).
MarkupTable ResultsMarkupTable(const std::vector<Result>& results, TimeUnit unit,
                               std::string (*escape)(const std::string&));

// `text` with a backslash before each of `specials`.
std::string BackslashEscaped(const std::string& text, std::string_view specials);

}  // namespace concbench
