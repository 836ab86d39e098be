#include "reports/markup.hpp"

#include "reports/table.hpp"
#include "results/labels.hpp"

namespace concbench {

MarkupTable ResultsMarkupTable(const std::vector<Result>& results, TimeUnit unit,
                               std::string (*escape)(const std::string&)) {
  MarkupTable table;
  table.columns = {{"workload", Align::kLeft},          {"engine", Align::kLeft},
                   {"parameters", Align::kLeft},        {"median ± stddev", Align::kRight},
                   {"95% CI of median", Align::kRight}, {"relative", Align::kRight},
                   {"efficiency", Align::kRight},       {"peak RSS", Align::kRight},
                   {"verified", Align::kCenter}};
  for (const Result& r : results) {
    table.rows.push_back(
        {r.workload, EngineText(r), ParameterText(r, ", "),
         FormatSeconds(r.wall.median, unit) + " ± " + FormatSeconds(r.wall.stddev, unit),
         FormatSeconds(r.wall.median_ci_low, unit) + " … " +
             FormatSeconds(r.wall.median_ci_high, unit),
         r.relative ? FormatRelative(*r.relative) : "—", EfficiencyText(r),
         FormatBytes(static_cast<double>(r.peak_rss_bytes)), r.verified ? "✅" : "❌"});
  }
  for (MarkupColumn& column : table.columns) column.heading = escape(column.heading);
  for (auto& row : table.rows) {
    for (std::string& cell : row) cell = escape(cell);
  }
  return table;
}

std::string BackslashEscaped(const std::string& text, std::string_view specials) {
  std::string escaped;
  for (char c : text) {
    if (specials.find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace concbench
