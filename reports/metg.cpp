#include "reports/metg.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace concbench {

void WriteMetgTable(std::ostream& out, const MetgReport& report) {
  out << fmt::format("METG({:.0f}%) of spin, {} workers, {} repetitions per point\n",
                     report.threshold * 100, report.workers, report.repetitions);
  std::size_t width = 6;
  for (const MetgCurve& curve : report.curves) width = std::max(width, curve.label.size());
  out << fmt::format("{:<{}}  {:>12}  {:>6}\n", "engine", width, "METG", "points");
  for (const MetgCurve& curve : report.curves) {
    out << fmt::format("{:<{}}  {:>12}  {:>6}\n", curve.label, width, MetgText(curve.metg),
                       curve.points.size());
  }
}

}  // namespace concbench
