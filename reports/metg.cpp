#include "reports/metg.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace concbench {
namespace {

// "spin" or "spin on stencil_1d (width 8, radix 3)": the graph's parameters in words.
std::string WorkloadText(const MetgReport& report) {
  if (!report.graph.is_object() || !report.graph.contains("pattern")) return "spin";
  std::string text = "spin on " + report.graph["pattern"].get<std::string>();
  std::string shape;
  for (const auto& [key, value] : report.graph.items()) {
    if (key == "pattern" || (key == "output_bytes" && value == 16)) continue;
    shape += fmt::format("{}{} {}", shape.empty() ? "" : ", ", key, value.dump());
  }
  return shape.empty() ? text : fmt::format("{} ({})", text, shape);
}

}  // namespace

void WriteMetgTable(std::ostream& out, const MetgReport& report) {
  out << fmt::format("METG({:.0f}%) of {}, {} workers, {} repetitions per point\n",
                     report.threshold * 100, WorkloadText(report), report.workers,
                     report.repetitions);
  std::size_t width = 6;
  for (const MetgCurve& curve : report.curves) width = std::max(width, curve.label.size());
  out << fmt::format("{:<{}}  {:>12}  {:>17}  {:>6}\n", "engine", width, "METG (grain)",
                     "METG (Task Bench)", "points");
  for (const MetgCurve& curve : report.curves) {
    out << fmt::format("{:<{}}  {:>12}  {:>17}  {:>6}\n", curve.label, width, MetgText(curve.metg),
                       MetgText(curve.metg_granularity), curve.points.size());
  }
  out << fmt::format(
      "grain: each task's CPU work; Task Bench: its task granularity, wall × {} cores ÷ tasks\n",
      report.cores);
}

}  // namespace concbench
