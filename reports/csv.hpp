// CSV export: a header, then one row per result; times in seconds (as hyperfine's --export-csv).
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"

namespace concbench {

void WriteCsv(std::ostream& out, const std::vector<Result>& results);

}  // namespace concbench
