// The order results are shown in (--sort): as measured, by engine name or fastest first, within
// each point.
#pragma once

#include <string_view>
#include <vector>

#include "results/result.hpp"

namespace concbench {

enum class ResultOrder {
  kAuto,    // as measured (the plan's order)
  kName,    // by engine name within each point
  kMedian,  // by median wall time within each point, fastest first
};

// "auto", "name" or "median" as a ResultOrder; kAuto for anything else.
ResultOrder ParseResultOrder(std::string_view word);

// `results` in `order`. A point is the results of one run, workload and sweep value; the points
// keep the order of their first result, and equal results keep theirs.
std::vector<Result> Ordered(const std::vector<Result>& results, ResultOrder order);

}  // namespace concbench
