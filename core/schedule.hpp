// Runs the repetitions of many points, interleaved by default (A B C A B C ...) so that drift
// in the machine's speed hits every point alike, and reports progress with an estimate of the
// time left.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/measurement.hpp"
#include "core/outputs.hpp"
#include "core/plan.hpp"
#include "core/progress.hpp"
#include "results/result.hpp"

namespace concbench {

class Schedule {
 public:
  // `points` and `specs` must outlive the schedule; `cores` is for the workloads' floors.
  // `whole_timelines`: keep every task of each point's last repetition (a trace is written),
  // not only timelines small enough for the results file.
  Schedule(const std::vector<Point>& points, const std::vector<RunSpec>& specs, bool interleave,
           unsigned cores, bool whole_timelines = false);
  Schedule(const std::vector<Point>&, std::vector<RunSpec>&&, bool, unsigned,
           bool = false) = delete;

  // Runs each point's warmup and first repetition, point after point, then the other
  // repetitions (taking turns when interleaved). Calls `progress` before each run with where it
  // stands, and `update` whenever a point was first measured or finished (or, interleaved, a round
  // did). Returns false when `stop` was requested.
  bool Run(std::stop_token stop, const std::function<void(const Progress&)>& progress,
           const std::function<void()>& update);

  // The results of every point measured at least once, in plan order. A point with fewer
  // repetitions than planned (an interrupted run) says so in its problems and is unverified.
  std::vector<Result> Results() const;

 private:
  struct Slot {
    const Point* point;
    const RunSpec* spec;
    std::unique_ptr<Measurement> measurement;
    unsigned target = 0;  // measured runs wanted; 0 until the first run sets it
    unsigned warmups_done = 0;
    double seconds = 0;  // wall time of its runs so far
    unsigned runs = 0;   // warmups and repetitions so far

    // Measured as planned, or stopped by a failing step of its own.
    bool done() const {
      return !measurement->failed().empty() ||
             (target != 0 && measurement->repetitions() >= target);
    }
  };

  Progress Status(const Slot& slot, std::string step) const;
  double SecondsLeft() const;  // negative when unknown

  std::vector<Slot> slots_;
  bool interleave_;
  std::chrono::steady_clock::time_point started_;
};

// Runs `schedule` and summarises its results into `results` (speedups, and relative speeds
// against `reference` or else the baseline engine). Calls `progress` (may be empty) before each
// run. Rewrites the file `outputs` of `report` (whose results are `results`) at most about
// once a second as results finish, so that an interrupted run keeps what finished; sets
// *save_error when a file could not be written. Returns false when `stop` was requested or
// memory ran out; then *failure says so, and `results` still holds every point measured at
// least once.
bool MeasureAll(Schedule& schedule, const std::string& reference,
                const std::vector<Output>& outputs,
                const std::function<void(const Progress&)>& progress, const Report& report,
                std::vector<Result>& results, std::string* save_error, std::string* failure,
                std::stop_token stop);

}  // namespace concbench
