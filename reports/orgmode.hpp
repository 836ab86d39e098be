// Org mode export: the Markdown export's table as an Org table (`| a | b |`, a `|---+---|` rule
// under the header), its columns aligned.
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

// `results` in the order given, times in `unit`.
void WriteOrgmode(std::ostream& out, const std::vector<Result>& results,
                  TimeUnit unit = TimeUnit::kAuto);

}  // namespace concbench
