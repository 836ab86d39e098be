// `metg`'s harness: sweeps the spin workload's task grain on each engine, from the largest grain
// down, and finds each engine's METG at an efficiency threshold, as Task Bench does.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "results/metg.hpp"

namespace concbench {

struct MetgOptions {
  std::vector<std::string> engines;  // registry names; asio runs with --offload
  unsigned tasks = 0;    // tasks per point; 0: chosen per point (about 0.1 s of ideal work)
  unsigned workers = 0;  // workers of every engine that has them; 0: the usable CPUs
  double threshold = 0.5;
  unsigned repetitions = 3;
  std::chrono::nanoseconds min_grain{100};
  std::chrono::nanoseconds max_grain{10'000'000};
  unsigned points_per_decade = 3;
  // The spin workload's graph options (pattern, steps, width, radix, period, fraction,
  // output-bytes) by name; empty: independent tasks. With a pattern and no steps, each point
  // has about as many steps as `tasks` would give it tasks.
  std::map<std::string, std::string> graph;
  std::string python;  // the Python engines' --python; empty: its default
  // Called before each run with a status line ("pool: grain 1ms (1/13): repetition 2/3"); may
  // be empty.
  std::function<void(std::string_view)> progress;
  // Called after each measured point with the report so far (e.g. to save it); returns "" or
  // why the run must end.
  std::function<std::string(const MetgReport&)> on_point;
};

struct MetgRun {
  MetgReport report;
  bool interrupted = false;  // `stop` was requested; the report has the finished points
  bool all_verified = true;  // every task of every point completed and passed its check
  std::string error;         // set when on_point asked to end the run
};

// Measures every engine's curve. A curve ends early after two points in a row below a quarter
// of the threshold, once it has reached the threshold. Makes every engine and the first point's
// workload first: throws ParamError (e.g. --python names no interpreter, a bad --pattern shape)
// before anything runs.
MetgRun RunMetg(const MetgOptions& options, std::stop_token stop);

// The METG of `curve` (points in any order) at `threshold` (e.g. 0.5). Going from the largest
// grain down, takes the first point below the threshold that follows one at or above it, and
// interpolates linearly in (log grain, efficiency) between the two. A noisy rise at smaller
// grains after that does not count (it is flagged in rises_again).
Metg ComputeMetg(std::span<const CurvePoint> curve, double threshold);

// The grains of a sweep from `max_grain` down to `min_grain`, `per_decade` points per decade,
// each rounded to the nanosecond; `min_grain` itself ends the sweep.
std::vector<std::chrono::nanoseconds> MetgGrains(std::chrono::nanoseconds max_grain,
                                                 std::chrono::nanoseconds min_grain,
                                                 unsigned per_decade);

}  // namespace concbench
