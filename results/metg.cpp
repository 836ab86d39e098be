#include "results/metg.hpp"

#include <fmt/format.h>

#include "results/json.hpp"
#include "util/format.hpp"

namespace concbench {

std::string_view MetgStatusName(MetgStatus status) {
  switch (status) {
    case MetgStatus::kCrossed:
      return "crossed";
    case MetgStatus::kAlwaysAbove:
      return "always_above";
    case MetgStatus::kNeverAbove:
      return "never_above";
    case MetgStatus::kEmpty:
      return "empty";
  }
  return "unknown";
}

std::string MetgText(const Metg& metg) {
  switch (metg.status) {
    case MetgStatus::kCrossed:
      return FormatSeconds(metg.grain_seconds);
    case MetgStatus::kAlwaysAbove:
      return "≤ " + FormatSeconds(metg.grain_seconds);
    case MetgStatus::kNeverAbove:
      return "> " + FormatSeconds(metg.grain_seconds);
    case MetgStatus::kEmpty:
      return "-";
  }
  return "-";
}

namespace {

// A crossed METG's seconds, else null.
nlohmann::json MetgJson(const Metg& metg) {
  if (metg.status != MetgStatus::kCrossed) return nullptr;
  return metg.grain_seconds;
}

}  // namespace

nlohmann::json MetgToJson(const Context& context, const MetgReport& report) {
  nlohmann::json document = {
      {"schema", "concbench-metg/1"},
      {"context", ContextToJson(context)},
      {"workload", "spin"},
      {"threshold", report.threshold},
      {"workers", report.workers},
      {"cores", report.cores},
      {"repetitions", report.repetitions},
      {"graph", report.graph},
      {"engines", nlohmann::json::array()},
  };
  for (const MetgCurve& curve : report.curves) {
    nlohmann::json points = nlohmann::json::array();
    for (const MetgPoint& p : curve.points) {
      points.push_back({{"grain", p.grain_seconds},
                        {"tasks", p.tasks},
                        {"efficiency", p.efficiency},
                        {"median", p.median_seconds},
                        {"granularity", p.granularity_seconds},
                        {"verified", p.verified},
                        {"metrics", p.metrics}});
    }
    bool crossed = curve.metg.status == MetgStatus::kCrossed;
    document["engines"].push_back({
        {"engine", curve.engine},
        {"label", curve.label},
        {"parameters", curve.parameters},
        {"metg", crossed ? nlohmann::json(curve.metg.grain_seconds) : nlohmann::json()},
        {"metg_status", MetgStatusName(curve.metg.status)},
        {"metg_bound", crossed ? nlohmann::json() : nlohmann::json(curve.metg.grain_seconds)},
        {"metg_granularity", MetgJson(curve.metg_granularity)},
        {"metg_granularity_status", MetgStatusName(curve.metg_granularity.status)},
        {"warnings", curve.warnings},
        {"curve", points},
    });
  }
  return document;
}

}  // namespace concbench
