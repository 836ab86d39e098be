// Measures one (workload, engine) pair: warmup runs, then measured repetitions, each timed and
// metered (wall, CPU, peak RSS, context switches), its records counted and checked.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string_view>
#include <vector>

#include "concbench/workload.hpp"
#include "core/verdict.hpp"
#include "engines/engine.hpp"
#include "results/result.hpp"
#include "util/os.hpp"

namespace concbench {

// Measures one (workload, engine) pair one run at a time, so that a scheduler can interleave
// the repetitions of several pairs. Runs are untimed (warmup) or timed and metered (repeat).
class Measurement {
 public:
  // `cores` is for the workload's floor. Both references must outlive the measurement.
  Measurement(const Workload& workload, Engine& engine, unsigned cores);

  // One unmeasured run. False when `stop` was requested during it (nothing is recorded).
  bool warmup(std::stop_token stop);
  // One measured repetition. False when `stop` was requested during it (nothing is recorded).
  bool repeat(std::stop_token stop);

  std::size_t repetitions() const { return result_.times.size(); }
  // Wall seconds of each repetition so far.
  const std::vector<double>& times() const { return result_.times; }
  // The result of the repetitions so far, summarised.
  Result result() const;

 private:
  const Workload& workload_;
  Engine& engine_;
  unsigned cores_;
  unsigned warmups_ = 0;
  Result result_;           // identity, times, problems and counts; summaries are made by result()
  ResourceUsage usage_;     // CPU and context switches of the process and its helpers, summed
  CommandsUsage commands_;  // of the tasks' commands, summed (processes too)
  std::vector<double> ideals_;
  std::vector<nlohmann::json> metrics_;
  std::vector<TaskSpan> timeline_;
  ProblemLog problems_;
};

// Every task of a run in task order, in seconds from `started` (the run's start).
std::vector<TaskSpan> Timeline(const std::vector<TaskRecord>& records,
                               TaskRecord::Clock::time_point started);

struct MeasureOptions {
  unsigned repetitions = 5;
  unsigned warmup = 1;
  unsigned cores = 1;  // for the workload's floor
  // Called before each run with e.g. "warmup 1/1" or "repetition 3/5"; may be empty.
  std::function<void(std::string_view)> progress;
};

// Warmup runs, then repetitions of one pair, in a row. Returns the measured result, or nullopt
// when `stop` was requested before the last
// repetition finished (an interrupted pair is not reported).
std::optional<Result> MeasurePair(const Workload& workload, Engine& engine,
                                  const MeasureOptions& options, std::stop_token stop);

}  // namespace concbench
