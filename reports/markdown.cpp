#include "reports/markdown.hpp"

#include <fmt/format.h>

#include "reports/table.hpp"
#include "results/labels.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

// Escapes the characters that would end a cell or start markup.
std::string Cell(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|' || c == '*' || c == '_' || c == '`') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

void WriteMarkdown(std::ostream& out, const std::vector<Result>& results) {
  out << "| workload | engine | parameters | median ± stddev | 95% CI of median | relative | "
         "efficiency | peak RSS | verified |\n"
         "| :-- | :-- | :-- | --: | --: | --: | --: | --: | :-: |\n";
  for (const Result& r : results) {
    out << fmt::format("| {} | {} | {} | {} ± {} | {} … {} | {} | {} | {} | {} |\n",
                       Cell(r.workload), Cell(EngineText(r)), Cell(ParameterText(r, ", ")),
                       FormatSeconds(r.wall.median), FormatSeconds(r.wall.stddev),
                       FormatSeconds(r.wall.median_ci_low), FormatSeconds(r.wall.median_ci_high),
                       r.relative ? FormatRelative(*r.relative) : "—", EfficiencyText(r),
                       FormatBytes(static_cast<double>(r.peak_rss_bytes)), r.verified ? "✅" : "❌");
  }
}

}  // namespace concbench
