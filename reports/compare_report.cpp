#include "reports/compare_report.hpp"

#include <fmt/format.h>

#include "reports/table.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

std::string Figure(double value, Metric metric) {
  return MetricIsSeconds(metric) ? FormatSeconds(value) : FormatBytes(value);
}

std::string Change(const PairComparison& p) { return fmt::format("{:+.1f}%", p.change * 100); }

std::string Interval(const PairComparison& p) {
  return fmt::format("{:+.1f}% … {:+.1f}%", (p.ratio_low - 1) * 100, (p.ratio_high - 1) * 100);
}

std::string PValue(const PairComparison& p) {
  std::string value = p.p_value < 1e-4 ? "< 0.0001" : fmt::format("{:.4f}", p.p_value);
  return p.exact ? value : value + " ≈";
}

std::string Tally(const ComparisonReport& report) {
  std::size_t counts[4] = {};
  for (const PairComparison& p : report.pairs) ++counts[static_cast<int>(p.verdict)];
  return fmt::format(
      "{} pairs: {} regressed, {} improved, {} no change, {} within noise ({} metric, threshold "
      "{:g}%, alpha {:g})",
      report.pairs.size(), counts[static_cast<int>(Verdict::kRegressed)],
      counts[static_cast<int>(Verdict::kImproved)], counts[static_cast<int>(Verdict::kNoChange)],
      counts[static_cast<int>(Verdict::kWithinNoise)], MetricName(report.options.metric),
      report.options.threshold * 100, report.options.alpha);
}

}  // namespace

void WriteComparisonTable(std::ostream& out, const ComparisonReport& report, bool color) {
  std::vector<std::vector<std::string>> rows = {{"pair", "base median", "new median", "change",
                                                 "95% CI of change", "p (U test)", "n", "verdict"}};
  for (const PairComparison& p : report.pairs) {
    rows.push_back({p.name, Figure(p.base_median, report.options.metric),
                    Figure(p.new_median, report.options.metric), Change(p), Interval(p), PValue(p),
                    fmt::format("{}/{}", p.base_count, p.new_count),
                    std::string(VerdictName(p.verdict))});
  }
  std::vector<const char*> colors = {""};
  for (const PairComparison& p : report.pairs) {
    bool tint = color && (p.verdict == Verdict::kRegressed || p.verdict == Verdict::kImproved);
    colors.push_back(!tint ? "" : p.verdict == Verdict::kRegressed ? kRed : kGreen);
  }
  WriteRows(out, rows, 1, colors, std::vector<const char*>(rows.size(), ""));
  for (const std::string& name : report.only_in_base) out << "only in base: " << name << '\n';
  for (const std::string& name : report.only_in_new) out << "only in new: " << name << '\n';
  for (const std::string& warning : report.warnings) out << "warning: " << warning << '\n';
  out << Tally(report) << '\n';
}

void WriteComparisonMarkdown(std::ostream& out, const ComparisonReport& report) {
  out << "| pair | base median | new median | change | 95% CI of change | p (U test) | verdict |\n"
         "| :-- | --: | --: | --: | --: | --: | :-- |\n";
  for (const PairComparison& p : report.pairs) {
    const char* mark = p.verdict == Verdict::kRegressed  ? "🔴 "
                       : p.verdict == Verdict::kImproved ? "🟢 "
                                                         : "";
    out << fmt::format("| {} | {} | {} | {} | {} | {} | {}{} |\n", p.name,
                       Figure(p.base_median, report.options.metric),
                       Figure(p.new_median, report.options.metric), Change(p), Interval(p),
                       PValue(p), mark, VerdictName(p.verdict));
  }
  out << '\n';
  for (const std::string& name : report.only_in_base) out << "- only in base: " << name << '\n';
  for (const std::string& name : report.only_in_new) out << "- only in new: " << name << '\n';
  for (const std::string& warning : report.warnings) out << "- ⚠️ " << warning << '\n';
  out << "\n" << Tally(report) << '\n';
}

nlohmann::json ComparisonToJson(const ComparisonReport& report) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairComparison& p : report.pairs) {
    pairs.push_back({{"name", p.name},
                     {"base_count", p.base_count},
                     {"new_count", p.new_count},
                     {"base_median", p.base_median},
                     {"new_median", p.new_median},
                     {"change", p.change},
                     {"ratio_ci", {p.ratio_low, p.ratio_high}},
                     {"p_value", p.p_value},
                     {"exact", p.exact},
                     {"verdict", VerdictName(p.verdict)}});
  }
  return {{"schema", "concbench-compare/1"},
          {"metric", MetricName(report.options.metric)},
          {"threshold", report.options.threshold},
          {"alpha", report.options.alpha},
          {"pairs", pairs},
          {"only_in_base", report.only_in_base},
          {"only_in_new", report.only_in_new},
          {"warnings", report.warnings},
          {"regressed", report.regressed()}};
}

}  // namespace concbench
