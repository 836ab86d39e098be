// github-action-benchmark's "customSmallerIsBetter" format: a JSON array of
// {name, unit, value, range, extra}, one entry per verified result (its median wall time in
// seconds). An unverified result is left out, with a warning naming it on `warnings`: a failed
// run has no time worth tracking, and a file with no entry at all makes the action fail.
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"

namespace concbench {

void WriteGithub(std::ostream& out, const std::vector<Result>& results, std::ostream& warnings);

}  // namespace concbench
