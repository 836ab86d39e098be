// Measures one (workload, engine) pair: warmup runs, then measured repetitions, each timed and
// metered (wall, CPU, peak RSS, context switches), its records counted and checked.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string_view>

#include "engines/engine.hpp"
#include "reports/result.hpp"
#include "workloads/workload.hpp"

namespace concbench {

struct MeasureOptions {
  unsigned repetitions = 5;
  unsigned warmup = 1;
  unsigned cores = 1;  // for the workload's floor
  // Called before each run with e.g. "warmup 1/1" or "repetition 3/5"; may be empty.
  std::function<void(std::string_view)> progress;
};

// Returns the measured result, or nullopt when `stop` was requested before the last
// repetition finished (an interrupted pair is not reported).
std::optional<Result> MeasurePair(const Workload& workload, Engine& engine,
                                  const MeasureOptions& options, std::stop_token stop);

}  // namespace concbench
