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
  // `whole_timeline`: keep the last repetition's timeline whatever its size (a trace is
  // written); else only up to kMaxTimelineTasks tasks, as the results file holds it.
  Measurement(const Workload& workload, Engine& engine, unsigned cores,
              bool whole_timeline = false);

  // One unmeasured run. False when `stop` was requested during it (nothing is recorded).
  bool warmup(std::stop_token stop);
  // One measured repetition. False when `stop` was requested during it (nothing is recorded).
  bool repeat(std::stop_token stop);
  // Both run the workload's point steps around the run (Workload::at_point_step: setup before
  // the first run, prepare and conclude around each); a step that fails stops the point: the
  // run is not made or not counted, failed() says why, and cleanup runs when setup had.

  // After the point's last run: the workload's cleanup step, once, when setup ran. False when
  // `stop` was requested during it.
  bool finish(std::stop_token stop);
  // Why the point stopped (a failing step), or "".
  const std::string& failed() const { return failure_; }

  std::size_t repetitions() const { return result_.times.size(); }
  // How many tasks' spans are kept between repetitions (0 or the last one's task count).
  std::size_t kept_spans() const { return timeline_.size(); }
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
  // Per-task data outlives its repetition only here: the last one's timeline, when kept.
  // Everything else of a repetition is reduced when it ends (sums, medians, latencies).
  bool whole_timeline_;
  std::vector<TaskSpan> timeline_;
  LatencySummary start_delay_;  // of the last repetition
  LatencySummary completion_;
  ProblemLog problems_;
  bool set_up_ = false;  // the setup step passed, and cleanup has not run yet
  std::string failure_;
  bool pss_unreadable_ = false;  // PSS was to be sampled, yet memory was summed by peak RSS

  // Runs `step`; on failure records it and runs cleanup. False when the point cannot go on.
  bool Step(PointStep step, const std::stop_token& stop);
  // Setup before the first run, then prepare. False when the run must not be made.
  bool BeforeRun(const std::stop_token& stop);
  // Records a repetition's peak memory (see Result::memory_method).
  void RecordPeak(const EngineRun& run, bool peak_reset);
};

// Every task of a run in task order, in seconds from `started` (the run's start), with its place
// in `graph` when the graph lays its tasks out in steps (null: none).
std::vector<TaskSpan> Timeline(const std::vector<TaskRecord>& records,
                               TaskRecord::Clock::time_point started,
                               const TaskGraph* graph = nullptr);

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
