// Markdown export: a table fit for a pull-request comment, one row per result.
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

// `results` in the order given, times in `unit`.
void WriteMarkdown(std::ostream& out, const std::vector<Result>& results,
                   TimeUnit unit = TimeUnit::kAuto);

}  // namespace concbench
