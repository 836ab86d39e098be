// Markdown export: a table fit for a pull-request comment, one row per result.
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"

namespace concbench {

void WriteMarkdown(std::ostream& out, const std::vector<Result>& results);

}  // namespace concbench
