// AsciiDoc export: the Markdown export's table as a `|===` table, for AsciiDoc documents.
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

// `results` in the order given, times in `unit`.
void WriteAsciidoc(std::ostream& out, const std::vector<Result>& results,
                   TimeUnit unit = TimeUnit::kAuto);

}  // namespace concbench
