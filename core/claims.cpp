#include "core/claims.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "util/format.hpp"

namespace concbench {
namespace {

using Getter = std::function<std::optional<double>(const Result&)>;

struct Figure {
  const char* path;
  Getter get;
};

template <typename T>
Getter Of(T Result::*member) {
  return [member](const Result& r) { return static_cast<double>(r.*member); };
}
template <typename T>
Getter OfWall(T Summary::*member) {
  return [member](const Result& r) { return static_cast<double>(r.wall.*member); };
}
template <typename T>
Getter OfTasks(T TaskCounts::*member) {
  return [member](const Result& r) { return static_cast<double>(r.tasks.*member); };
}

const std::vector<Figure>& Figures() {
  static const std::vector<Figure> figures = {
      {"mean", OfWall(&Summary::mean)},
      {"median", OfWall(&Summary::median)},
      {"stddev", OfWall(&Summary::stddev)},
      {"min", OfWall(&Summary::min)},
      {"max", OfWall(&Summary::max)},
      {"mad", OfWall(&Summary::mad)},
      {"p5", OfWall(&Summary::p5)},
      {"p25", OfWall(&Summary::p25)},
      {"p75", OfWall(&Summary::p75)},
      {"p95", OfWall(&Summary::p95)},
      {"cv", OfWall(&Summary::cv)},
      {"outliers", OfWall(&Summary::outliers)},
      {"user", Of(&Result::user_seconds)},
      {"system", Of(&Result::system_seconds)},
      {"peak_rss_bytes", Of(&Result::peak_rss_bytes)},
      {"context_switches.voluntary", Of(&Result::voluntary_switches)},
      {"commands.user", [](const Result& r) { return r.commands.user_seconds; }},
      {"commands.system", [](const Result& r) { return r.commands.system_seconds; }},
      {"commands.peak_rss_bytes",
       [](const Result& r) { return static_cast<double>(r.commands.peak_rss_bytes); }},
      {"commands.processes", [](const Result& r) { return r.commands.processes; }},
      {"context_switches.involuntary", Of(&Result::involuntary_switches)},
      {"tasks.total", OfTasks(&TaskCounts::total)},
      {"tasks.completed", OfTasks(&TaskCounts::completed)},
      {"tasks.failed", OfTasks(&TaskCounts::failed)},
      {"tasks.cancelled", OfTasks(&TaskCounts::cancelled)},
      {"tasks.pending", OfTasks(&TaskCounts::pending)},
      {"ideal", Of(&Result::ideal_seconds)},
      {"efficiency", [](const Result& r) { return r.efficiency; }},
      {"speedup", [](const Result& r) { return r.speedup; }},
      {"relative.ratio",
       [](const Result& r) {
         return r.relative ? std::optional<double>(r.relative->ratio) : std::nullopt;
       }},
      {"relative.uncertainty",
       [](const Result& r) {
         return r.relative ? std::optional<double>(r.relative->uncertainty) : std::nullopt;
       }},
      {"verified", [](const Result& r) { return r.verified ? 1.0 : 0.0; }},
      {"latency.start_delay.p50", [](const Result& r) { return r.start_delay.p50; }},
      {"latency.start_delay.p90", [](const Result& r) { return r.start_delay.p90; }},
      {"latency.start_delay.p99", [](const Result& r) { return r.start_delay.p99; }},
      {"latency.start_delay.max", [](const Result& r) { return r.start_delay.max; }},
      {"latency.completion.p50", [](const Result& r) { return r.completion.p50; }},
      {"latency.completion.p90", [](const Result& r) { return r.completion.p90; }},
      {"latency.completion.p99", [](const Result& r) { return r.completion.p99; }},
      {"latency.completion.max", [](const Result& r) { return r.completion.max; }},
  };
  return figures;
}

constexpr std::string_view kMetrics = "metrics.";

std::string FormatFigure(double value, bool seconds) {
  return seconds ? FormatSeconds(value) : fmt::format("{:g}", value);
}

std::string Expected(const Expectation& e) {
  std::vector<std::string> parts;
  if (e.value) {
    std::string text = FormatFigure(*e.value, e.seconds);
    if (e.tolerance > 0) text += fmt::format(" ± {:g}%", e.tolerance * 100);
    parts.push_back(text);
  }
  if (e.min) parts.push_back("≥ " + FormatFigure(*e.min, e.seconds));
  if (e.max) parts.push_back("≤ " + FormatFigure(*e.max, e.seconds));
  return fmt::format("{}", fmt::join(parts, ", "));
}

bool Passes(const Expectation& e, double measured) {
  if (e.value && std::fabs(measured - *e.value) > e.tolerance * std::fabs(*e.value) + 1e-12) {
    return false;
  }
  if (e.min && measured < *e.min) return false;
  if (e.max && measured > *e.max) return false;
  return true;
}

}  // namespace

std::vector<std::string> FigurePaths() {
  std::vector<std::string> paths;
  for (const Figure& figure : Figures()) paths.emplace_back(figure.path);
  paths.emplace_back("metrics.NAME");
  return paths;
}

bool IsFigure(std::string_view path) {
  if (path.starts_with(kMetrics)) return path.size() > kMetrics.size();
  for (const Figure& figure : Figures()) {
    if (path == figure.path) return true;
  }
  return false;
}

std::optional<double> ResultFigure(const Result& result, std::string_view path) {
  if (path.starts_with(kMetrics)) {
    std::string name(path.substr(kMetrics.size()));
    if (!result.metrics.contains(name)) return std::nullopt;
    const nlohmann::json& value = result.metrics[name];
    if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
    if (!value.is_number()) return std::nullopt;
    return value.get<double>();
  }
  for (const Figure& figure : Figures()) {
    if (path == figure.path) return figure.get(result);
  }
  return std::nullopt;
}

void AcceptClaimedNothingCompleted(const std::vector<RunSpec>& specs,
                                   std::vector<Result>& results) {
  auto claims_none = [](const Expectation& e, const Result& result) {
    bool zero = (e.value && *e.value == 0) || (e.max && *e.max < 1);
    return e.metric == "tasks.completed" && zero && (e.engine.empty() || e.engine == result.engine);
  };
  for (Result& result : results) {
    if (!OnlyNothingCompleted(result)) continue;
    for (const RunSpec& spec : specs) {
      if (spec.name.empty() || spec.name != result.run) continue;
      if (std::none_of(spec.expect.begin(), spec.expect.end(),
                       [&](const Expectation& e) { return claims_none(e, result); })) {
        continue;
      }
      for (std::string& problem : result.problems) {
        if (problem == result.unverified_reason) {
          problem = "note: " + problem.substr(0, problem.find(':')) + ", as the run claims";
        }
      }
      result.verified = true;
      result.unverified_reason.clear();
    }
  }
}

std::vector<ExpectationOutcome> CheckExpectations(const std::vector<RunSpec>& specs,
                                                  const std::vector<Result>& results) {
  std::vector<ExpectationOutcome> outcomes;
  for (const RunSpec& spec : specs) {
    for (const Expectation& e : spec.expect) {
      bool matched = false;
      for (const Result& result : results) {
        if (result.run != spec.name || (!e.engine.empty() && result.engine != e.engine)) continue;
        matched = true;
        std::optional<double> measured = ResultFigure(result, e.metric);
        outcomes.push_back({spec.name, result.engine, spec.claim, e.metric, Expected(e),
                            measured ? FormatFigure(*measured, e.seconds) : "missing",
                            measured && Passes(e, *measured)});
      }
      if (!matched) {
        outcomes.push_back({spec.name, e.engine.empty() ? "any" : e.engine, spec.claim, e.metric,
                            Expected(e), "no result", false});
      }
    }
  }
  return outcomes;
}

}  // namespace concbench
