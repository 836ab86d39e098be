// METG results (Task Bench, SC'20) as plain data, and their results file: the minimum effective
// task granularity, the smallest task size at which an engine still reaches an efficiency.
// reports/metg writes them as a terminal table.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "results/result.hpp"

namespace concbench {

// One measured point: task grain in seconds and the efficiency reached with it (1 = 100%).
struct CurvePoint {
  double grain_seconds = 0;
  double efficiency = 0;
};

enum class MetgStatus {
  kCrossed,      // the curve falls below the threshold between two points
  kAlwaysAbove,  // every point reaches the threshold: METG is at most the smallest grain
  kNeverAbove,   // no point reaches it: METG is above the largest grain
  kEmpty,        // no points
};

struct Metg {
  MetgStatus status = MetgStatus::kEmpty;
  // kCrossed: the interpolated METG; kAlwaysAbove: the smallest grain (an upper bound);
  // kNeverAbove: the largest grain (a lower bound); kEmpty: 0. In seconds.
  double grain_seconds = 0;
  bool rises_again = false;  // kCrossed: a smaller grain reaches the threshold again (noise)
};

// One grain of a curve, as measured.
struct MetgPoint {
  double grain_seconds = 0;
  std::size_t tasks = 0;
  double efficiency = 0;
  double median_seconds = 0;
  // Task Bench's task granularity: the median wall × the cores used ÷ the tasks.
  double granularity_seconds = 0;
  bool verified = false;
  nlohmann::json metrics;
};

// One engine's efficiency curve over the grains, and its METG.
struct MetgCurve {
  std::string engine;
  std::string label;  // the engine and the parameters that matter, e.g. "asio --offload"
  nlohmann::json parameters;
  std::vector<MetgPoint> points;
  Metg metg;              // in nominal grain (each task's CPU work)
  Metg metg_granularity;  // in Task Bench's units (granularity_seconds), as its papers report
  std::vector<std::string> warnings;
};

// What `concbench metg` measured.
struct MetgReport {
  double threshold = 0.5;
  unsigned workers = 0;
  unsigned cores = 0;  // the cores the granularity counts: min(workers, usable CPUs)
  unsigned repetitions = 0;
  // The graph's parameters ({"pattern": "stencil_1d", "width": 8, ...}), or null: independent
  // tasks.
  nlohmann::json graph;
  std::vector<MetgCurve> curves;
};

std::string_view MetgStatusName(MetgStatus status);
// "12.3 µs", "≤ 1.00 µs", "> 10.0 ms" or "-".
std::string MetgText(const Metg& metg);

// {"schema": "concbench-metg/1", "context", "workload", "threshold", ..., "engines": [...]}.
nlohmann::json MetgToJson(const Context& context, const MetgReport& report);

}  // namespace concbench
