#include "core/metg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>

#include "concbench/workload_registry.hpp"
#include "core/measurement.hpp"
#include "engines/recipe.hpp"
#include "engines/registry.hpp"
#include "results/context.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

constexpr double kPointSeconds = 0.1;      // ideal work per point when tasks are chosen
constexpr unsigned kMaxAutoTasks = 10000;  // ... and at most this many tasks
constexpr double kAboveOneNoise = 1.1;     // efficiency above this is suspicious

std::vector<CurvePoint> CurvePoints(const MetgCurve& curve) {
  std::vector<CurvePoint> points;
  for (const MetgPoint& p : curve.points) points.push_back({p.grain_seconds, p.efficiency});
  return points;
}

// The curve in Task Bench's units: each point's granularity and its efficiency.
std::vector<CurvePoint> GranularityPoints(const MetgCurve& curve) {
  std::vector<CurvePoint> points;
  for (const MetgPoint& p : curve.points) points.push_back({p.granularity_seconds, p.efficiency});
  return points;
}

// Tasks for one point: the fixed count, or about kPointSeconds of ideal work on `cores`.
std::size_t TasksFor(const MetgOptions& options, double grain_seconds, unsigned cores) {
  if (options.tasks > 0) return options.tasks;
  double tasks = std::round(kPointSeconds * cores / grain_seconds);
  return static_cast<std::size_t>(std::clamp(tasks, 2.0 * cores, double{kMaxAutoTasks}));
}

// True when `options` arrange the tasks as a graph.
bool HasPattern(const MetgOptions& options) {
  auto pattern = options.graph.find("pattern");
  return pattern != options.graph.end() && pattern->second != "none";
}

// The spin workload of the point at `grain`: its graph options, and the tasks (or, for a graph
// without --steps, the steps) that TasksFor chooses. Throws ParamError for a bad option.
std::unique_ptr<Workload> MakePointWorkload(const MetgOptions& options,
                                            std::chrono::nanoseconds grain, unsigned cores,
                                            std::map<std::string, std::string>* recipe) {
  const WorkloadInfo* spin = FindWorkload("spin");
  std::map<std::string, std::string> values = options.graph;
  values["grain"] = FormatDuration(grain);
  double grain_seconds = std::chrono::duration<double>(grain).count();
  std::size_t tasks = TasksFor(options, grain_seconds, cores);
  if (!HasPattern(options)) {
    values["tasks"] = std::to_string(tasks);
  } else if (!options.graph.contains("steps")) {
    std::uint64_t width = ParamsFor(spin->params, values).count("width");
    values["steps"] = std::to_string(std::max<std::uint64_t>(1, tasks / width));
  }
  *recipe = values;
  return spin->make(ParamsFor(spin->params, values));
}

// The graph's parameters as the workload reports them (steps only when given), or null.
nlohmann::json GraphParameters(const MetgOptions& options, const Workload& workload) {
  if (!HasPattern(options)) return nullptr;
  nlohmann::json all = workload.parameters();
  nlohmann::json graph = nlohmann::json::object();
  for (const char* key :
       {"pattern", "steps", "width", "radix", "period", "fraction", "output_bytes"}) {
    if (std::string_view(key) == "steps" && !options.graph.contains("steps")) continue;
    if (all.contains(key)) graph[key] = all[key];
  }
  return graph;
}

// The engine `name` made as `run` makes it (the spec's defaults), with `workers` workers where
// it has them, asio offloading, the Python engines on options.python; its curve's label.
std::unique_ptr<Engine> MakeMetgEngine(const std::string& name, const MetgOptions& options,
                                       unsigned workers, std::string* label) {
  const EngineInfo* info = FindEngine(name);
  std::map<std::string, std::string> values;
  *label = name;
  for (const ParamSpec& spec : info->params) {
    if (spec.name == "workers") values["workers"] = std::to_string(workers);
    if (spec.name == "python" && !options.python.empty()) values["python"] = options.python;
    if (spec.name == "offload") {
      values["offload"] = "true";
      *label += " --offload";
    }
  }
  return info->make(ParamsFor(info->params, values));
}

// Warnings about a finished curve: no crossing, a rise after it, implausible points.
void AddCurveWarnings(MetgCurve& curve, double threshold) {
  if (curve.metg.status == MetgStatus::kNeverAbove ||
      curve.metg.status == MetgStatus::kAlwaysAbove) {
    curve.warnings.push_back(
        fmt::format("the curve never crossed {:.0f}%: METG is {} (widen --min-grain/--max-grain)",
                    threshold * 100, MetgText(curve.metg)));
  }
  if (curve.metg.rises_again) {
    curve.warnings.push_back(
        fmt::format("the curve rises above {:.0f}% again at a smaller grain (noise? try more -r)",
                    threshold * 100));
  }
  for (const MetgPoint& p : curve.points) {
    if (!p.verified) {
      curve.warnings.push_back(fmt::format("grain {}: a task failed or its check did not pass",
                                           FormatSeconds(p.grain_seconds)));
    }
  }
}

// Measures one engine's curve into run.report.curves.back(). False when the run must end.
bool MeasureCurve(const MetgOptions& options, const std::vector<std::chrono::nanoseconds>& grains,
                  unsigned cores, Engine& engine, MetgRun& run, std::stop_token stop) {
  MetgCurve& curve = run.report.curves.back();
  int low_points = 0;
  bool reached = false;
  for (std::size_t i = 0; i < grains.size() && low_points < 2; ++i) {
    double grain_seconds = std::chrono::duration<double>(grains[i]).count();
    std::map<std::string, std::string> values;
    std::unique_ptr<Workload> workload = MakePointWorkload(options, grains[i], cores, &values);
    std::size_t tasks = workload->task_count();
    engine.set_recipe({"spin", values});
    MeasureOptions measure{
        .repetitions = options.repetitions, .warmup = 1, .cores = cores, .progress = {}};
    if (options.progress) {
      std::string step = fmt::format("{}: grain {} ({}/{})", curve.label, FormatDuration(grains[i]),
                                     i + 1, grains.size());
      measure.progress = [step, &options](std::string_view what) {
        options.progress(fmt::format("{}: {}", step, what));
      };
    }
    std::optional<Result> result = MeasurePair(*workload, engine, measure, stop);
    if (!result) {
      run.interrupted = true;
      return false;
    }
    run.all_verified = run.all_verified && result->verified;
    double efficiency = result->efficiency.value_or(0);  // at most 1
    double ratio = result->wall.median > 0 ? result->ideal_seconds / result->wall.median : 0;
    if (ratio > kAboveOneNoise) {
      curve.warnings.push_back(fmt::format(
          "efficiency {:.0f}% at grain {}: above 100% beyond noise (calibration off?); shown as "
          "100%",
          ratio * 100, FormatSeconds(grain_seconds)));
    }
    double granularity = result->wall.median * run.report.cores /
                         static_cast<double>(std::max<std::size_t>(1, tasks));
    curve.points.push_back({grain_seconds, tasks, efficiency, result->wall.median, granularity,
                            result->verified, result->metrics});
    reached = reached || efficiency >= options.threshold;
    low_points = reached && efficiency < options.threshold / 4 ? low_points + 1 : 0;
    curve.metg = ComputeMetg(CurvePoints(curve), options.threshold);
    curve.metg_granularity = ComputeMetg(GranularityPoints(curve), options.threshold);
    if (options.on_point) run.error = options.on_point(run.report);
    if (!run.error.empty()) return false;
  }
  return true;
}

}  // namespace

MetgRun RunMetg(const MetgOptions& options, std::stop_token stop) {
  unsigned cores = UsableCpus();
  MetgRun run;
  run.report.threshold = options.threshold;
  run.report.workers = options.workers > 0 ? options.workers : cores;
  run.report.cores = std::min(run.report.workers, cores);
  run.report.repetitions = options.repetitions;
  std::vector<std::chrono::nanoseconds> grains =
      MetgGrains(options.max_grain, options.min_grain, options.points_per_decade);
  std::map<std::string, std::string> first;
  run.report.graph =
      GraphParameters(options, *MakePointWorkload(options, grains.front(), cores, &first));
  // Every engine made before anything runs: a bad engine setting ends the run at once.
  std::vector<std::unique_ptr<Engine>> engines;
  std::vector<std::string> labels(options.engines.size());
  for (std::size_t i = 0; i < options.engines.size(); ++i) {
    engines.push_back(MakeMetgEngine(options.engines[i], options, run.report.workers, &labels[i]));
  }
  for (std::size_t i = 0; i < engines.size(); ++i) {
    MetgCurve curve;
    curve.engine = options.engines[i];
    curve.label = labels[i];
    curve.parameters = engines[i]->parameters();
    run.report.curves.push_back(std::move(curve));
    if (!MeasureCurve(options, grains, cores, *engines[i], run, stop)) break;
    AddCurveWarnings(run.report.curves.back(), options.threshold);
  }
  return run;
}

Metg ComputeMetg(std::span<const CurvePoint> curve, double threshold) {
  if (curve.empty()) return {};
  std::vector<CurvePoint> points(curve.begin(), curve.end());
  std::sort(points.begin(), points.end(), [](const CurvePoint& a, const CurvePoint& b) {
    return a.grain_seconds > b.grain_seconds;
  });
  auto reaches = [&](const CurvePoint& p) { return p.efficiency >= threshold; };
  if (std::none_of(points.begin(), points.end(), reaches)) {
    return {MetgStatus::kNeverAbove, points.front().grain_seconds, false};
  }
  for (std::size_t i = 1; i < points.size(); ++i) {
    const CurvePoint& above = points[i - 1];
    const CurvePoint& below = points[i];
    if (!reaches(above) || reaches(below)) continue;
    double fraction = (above.efficiency - threshold) / (above.efficiency - below.efficiency);
    double log_grain = std::log(above.grain_seconds) +
                       fraction * (std::log(below.grain_seconds) - std::log(above.grain_seconds));
    bool rises_again =
        std::any_of(points.begin() + static_cast<std::ptrdiff_t>(i) + 1, points.end(), reaches);
    return {MetgStatus::kCrossed, std::exp(log_grain), rises_again};
  }
  return {MetgStatus::kAlwaysAbove, points.back().grain_seconds, false};
}

std::vector<std::chrono::nanoseconds> MetgGrains(std::chrono::nanoseconds max_grain,
                                                 std::chrono::nanoseconds min_grain,
                                                 unsigned per_decade) {
  std::vector<std::chrono::nanoseconds> grains;
  auto max_ns = static_cast<double>(max_grain.count());
  auto min_ns = static_cast<double>(min_grain.count());
  for (unsigned k = 0;; ++k) {
    double ns = max_ns * std::pow(10.0, -static_cast<double>(k) / per_decade);
    if (ns < min_ns * (1 - 1e-9)) break;
    grains.emplace_back(std::llround(ns));
  }
  if (grains.back() != min_grain && static_cast<double>(grains.back().count()) > min_ns * 1.001) {
    grains.push_back(min_grain);
  }
  return grains;
}

}  // namespace concbench
