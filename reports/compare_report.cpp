#include "reports/compare_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "reports/table.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

std::string Figure(double value, Metric metric) {
  return MetricIsSeconds(metric) ? FormatSeconds(value) : FormatBytes(value);
}

bool Comparable(const PairComparison& p) { return p.verdict != Verdict::kNotComparable; }

std::string Change(const PairComparison& p) {
  return Comparable(p) ? fmt::format("{:+.1f}%", p.change * 100) : "—";
}

std::string Interval(const PairComparison& p) {
  if (!Comparable(p)) return "—";
  return fmt::format("{:+.1f}% … {:+.1f}%", (p.ratio_low - 1) * 100, (p.ratio_high - 1) * 100);
}

// The smallest change the pair reports: the threshold or the measured noise, whichever is larger.
std::string Floor(const PairComparison& p) {
  return Comparable(p) ? fmt::format("±{:.1f}%", p.floor * 100) : "—";
}

std::string PValue(const PairComparison& p) {
  if (!Comparable(p)) return "—";
  std::string value = p.p_value < 1e-4 ? "< 0.0001" : fmt::format("{:.4f}", p.p_value);
  return p.exact ? value : value + " ≈";
}

std::string Tally(const ComparisonReport& report) {
  std::size_t counts[5] = {};
  for (const PairComparison& p : report.pairs) ++counts[static_cast<int>(p.verdict)];
  std::string not_comparable = report.not_comparable() > 0
                                   ? fmt::format(", {} not comparable", report.not_comparable())
                                   : "";
  std::size_t unpaired = report.only_in_base.size() + report.only_in_new.size();
  std::string unpaired_text = unpaired > 0 ? fmt::format(", {} unpaired", unpaired) : "";
  std::string_view metric = report.options.auto_metric ? "auto" : MetricName(report.options.metric);
  return fmt::format(
      "{} pairs: {} regressed, {} improved, {} no change, {} within noise{}{} ({} metric, "
      "threshold {:g}%, alpha {:g})",
      report.pairs.size(), counts[static_cast<int>(Verdict::kRegressed)],
      counts[static_cast<int>(Verdict::kImproved)], counts[static_cast<int>(Verdict::kNoChange)],
      counts[static_cast<int>(Verdict::kWithinNoise)], not_comparable, unpaired_text, metric,
      report.options.threshold * 100, report.options.alpha);
}

// "+12.0% regressed in 10 rounds", or "—" when no later round re-measured the pair.
std::string FirstRoundText(const PairComparison& p) {
  if (!p.first_round) return "—";
  return fmt::format("{:+.1f}% {} ({} rounds)", p.first_round->change * 100,
                     VerdictName(p.first_round->verdict), p.first_round->rounds);
}

bool Confirmed(const ComparisonReport& report) {
  for (const PairComparison& p : report.pairs) {
    if (p.first_round) return true;
  }
  return false;
}

// "not comparable: NAME: WHY", one per pair that could not be compared.
std::vector<std::string> NotComparableLines(const ComparisonReport& report) {
  std::vector<std::string> lines;
  for (const PairComparison& p : report.pairs) {
    if (!Comparable(p)) lines.push_back("not comparable: " + p.name + ": " + p.why_not_comparable);
  }
  return lines;
}

}  // namespace

void WriteComparisonTable(std::ostream& out, const ComparisonReport& report, bool color) {
  bool paired = !report.pairs.empty() && report.pairs.front().paired;
  bool confirmed = Confirmed(report);
  std::vector<std::string> header = {
      "pair",   "metric", "base median",      "new median",
      "change", "floor",  "95% CI of change", paired ? "p (signed-rank)" : "p (U test)",
      "n",      "verdict"};
  if (confirmed) header.push_back("first round");
  std::vector<std::vector<std::string>> rows = {header};
  for (const PairComparison& p : report.pairs) {
    rows.push_back({p.name, std::string(MetricName(p.metric)), Figure(p.base_median, p.metric),
                    Figure(p.new_median, p.metric), Change(p), Floor(p), Interval(p), PValue(p),
                    fmt::format("{}/{}", p.base_count, p.new_count),
                    std::string(VerdictName(p.verdict))});
    if (confirmed) rows.back().push_back(FirstRoundText(p));
  }
  std::vector<const char*> colors = {""};
  for (const PairComparison& p : report.pairs) {
    bool red = p.verdict == Verdict::kRegressed || !Comparable(p);
    bool tint = color && (red || p.verdict == Verdict::kImproved);
    colors.push_back(!tint ? "" : red ? kRed : kGreen);
  }
  WriteRows(out, rows, 1, colors, std::vector<const char*>(rows.size(), ""));
  for (const std::string& name : report.only_in_base)
    out << "unpaired, only in base: " << name << '\n';
  for (const std::string& name : report.only_in_new)
    out << "unpaired, only in new: " << name << '\n';
  for (const std::string& line : NotComparableLines(report)) out << line << '\n';
  for (const std::string& warning : report.warnings) out << "warning: " << warning << '\n';
  out << Tally(report) << '\n';
}

void WriteComparisonMarkdown(std::ostream& out, const ComparisonReport& report) {
  out << "| pair | base median | new median | change | 95% CI of change | p (U test) | verdict |\n"
         "| :-- | --: | --: | --: | --: | --: | :-- |\n";
  for (const PairComparison& p : report.pairs) {
    const char* mark = p.verdict == Verdict::kRegressed       ? "🔴 "
                       : p.verdict == Verdict::kNotComparable ? "⚠️ "
                       : p.verdict == Verdict::kImproved      ? "🟢 "
                                                              : "";
    out << fmt::format("| {} | {} | {} | {} | {} | {} | {}{} |\n", p.name,
                       Figure(p.base_median, p.metric), Figure(p.new_median, p.metric), Change(p),
                       Interval(p), PValue(p), mark, VerdictName(p.verdict));
  }
  out << '\n';
  for (const std::string& name : report.only_in_base) {
    out << "- unpaired, only in base: " << name << '\n';
  }
  for (const std::string& name : report.only_in_new) {
    out << "- unpaired, only in new: " << name << '\n';
  }
  for (const std::string& line : NotComparableLines(report)) out << "- ⚠️ " << line << '\n';
  for (const std::string& warning : report.warnings) out << "- ⚠️ " << warning << '\n';
  out << "\n" << Tally(report) << '\n';
}

nlohmann::json ComparisonToJson(const ComparisonReport& report) {
  // A number that is not finite is written as null (JSON has no NaN or infinity).
  auto number = [](double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
  };
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairComparison& p : report.pairs) {
    bool comparable = Comparable(p);
    auto figure = [&](double value) { return comparable ? number(value) : nlohmann::json(); };
    nlohmann::json first;
    if (p.first_round) {
      first = {{"verdict", VerdictName(p.first_round->verdict)},
               {"change", number(p.first_round->change)},
               {"rounds", p.first_round->rounds}};
    }
    pairs.push_back(
        {{"name", p.name},
         {"status", VerdictName(p.verdict)},
         {"metric", MetricName(p.metric)},
         {"paired", p.paired},
         {"base_count", p.base_count},
         {"new_count", p.new_count},
         {"base_median", number(p.base_median)},
         {"new_median", number(p.new_median)},
         {"change", figure(p.change)},
         {"ratio_ci", comparable ? nlohmann::json{p.ratio_low, p.ratio_high} : nlohmann::json()},
         {"p_value", figure(p.p_value)},
         {"exact", p.exact},
         {"noise", figure(p.noise)},
         {"floor", figure(p.floor)},
         {"verdict", VerdictName(p.verdict)},
         {"why_not_comparable",
          comparable ? nlohmann::json() : nlohmann::json(p.why_not_comparable)},
         {"first_round", first}});
  }
  for (const auto& [names, side] :
       {std::pair{&report.only_in_base, "base"}, std::pair{&report.only_in_new, "new"}}) {
    for (const std::string& name : *names) {
      pairs.push_back({{"name", name}, {"status", "unpaired"}, {"only_in", side}});
    }
  }
  return {{"schema", "concbench-compare/2"},
          {"metric", report.options.auto_metric ? "auto" : MetricName(report.options.metric)},
          {"threshold", report.options.threshold},
          {"alpha", report.options.alpha},
          {"pairs", pairs},
          {"only_in_base", report.only_in_base},
          {"only_in_new", report.only_in_new},
          {"warnings", report.warnings},
          {"regressed", report.regressed()},
          {"not_comparable", report.not_comparable()},
          {"failed", report.failed()}};
}

}  // namespace concbench
