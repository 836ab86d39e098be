#include "reports/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "reports/labels.hpp"
#include "reports/statistics.hpp"

namespace concbench {
namespace {

constexpr std::size_t kPowerfulSample = 5;

std::string PairName(const Result& r) {
  std::string name = r.run.empty() ? "" : r.run + ": ";
  name += r.workload + " on " + r.engine;
  std::string parameters = ParameterText(r);
  return parameters.empty() ? name : name + " (" + parameters + ")";
}

// Named runs (suites, --name) pair by name and sweep point, so a run whose parameters changed
// is still compared with itself; unnamed ones by all their parameters.
bool SamePair(const Result& a, const Result& b) {
  if (a.run != b.run || a.workload != b.workload || a.engine != b.engine) return false;
  if (!a.run.empty()) return a.sweep == b.sweep;
  return a.workload_parameters == b.workload_parameters &&
         a.engine_parameters == b.engine_parameters;
}

// Why samples `a` (base) and `b` (new) with these medians have no ratio to judge, or "".
std::string WhyNotComparable(std::span<const double> a, std::span<const double> b,
                             double base_median, double new_median) {
  auto finite = [](std::span<const double> values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
  };
  if (!finite(a)) return "a base sample is not a finite number";
  if (!finite(b)) return "a new sample is not a finite number";
  if (!std::isfinite(base_median) || !std::isfinite(new_median)) {
    return "a median is not a finite number";
  }
  if (base_median <= 0) return "the base median is 0: there is no ratio to compare";
  return "";
}

}  // namespace

std::string_view MetricName(Metric metric) {
  switch (metric) {
    case Metric::kWall:
      return "wall";
    case Metric::kUser:
      return "user";
    case Metric::kSystem:
      return "system";
    case Metric::kPeakRss:
      return "peak_rss";
  }
  return "wall";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kImproved:
      return "improved";
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kNoChange:
      return "no change";
    case Verdict::kWithinNoise:
      return "within noise";
    case Verdict::kNotComparable:
      return "not comparable";
  }
  return "no change";
}

bool MetricIsSeconds(Metric metric) { return metric != Metric::kPeakRss; }

bool ComparisonReport::regressed() const {
  return std::any_of(pairs.begin(), pairs.end(),
                     [](const PairComparison& p) { return p.verdict == Verdict::kRegressed; });
}

std::size_t ComparisonReport::not_comparable() const {
  return static_cast<std::size_t>(
      std::count_if(pairs.begin(), pairs.end(),
                    [](const PairComparison& p) { return p.verdict == Verdict::kNotComparable; }));
}

std::vector<double> Samples(const Result& result, Metric metric) {
  switch (metric) {
    case Metric::kWall:
      return result.times;
    case Metric::kUser:
      return result.user_times;
    case Metric::kSystem:
      return result.system_times;
    case Metric::kPeakRss:
      return std::vector<double>(result.peak_rss_samples.begin(), result.peak_rss_samples.end());
  }
  return {};
}

ComparisonReport CompareResults(const std::vector<Result>& base, const std::vector<Result>& next,
                                const CompareOptions& options) {
  ComparisonReport report;
  report.options = options;
  std::vector<bool> matched(next.size(), false);
  std::size_t underpowered = 0;
  for (const Result& old_result : base) {
    auto partner = std::find_if(next.begin(), next.end(),
                                [&](const Result& r) { return SamePair(old_result, r); });
    if (partner == next.end()) {
      report.only_in_base.push_back(PairName(old_result));
      continue;
    }
    matched[static_cast<std::size_t>(partner - next.begin())] = true;
    std::vector<double> a = Samples(old_result, options.metric);
    std::vector<double> b = Samples(*partner, options.metric);
    PairComparison pair;
    pair.name = PairName(old_result);
    pair.base_count = a.size();
    pair.new_count = b.size();
    pair.base_median = Median(a);
    pair.new_median = Median(b);
    pair.why_not_comparable = WhyNotComparable(a, b, pair.base_median, pair.new_median);
    if (!pair.why_not_comparable.empty()) {
      pair.verdict = Verdict::kNotComparable;
      report.pairs.push_back(pair);
      continue;
    }
    pair.change = pair.new_median / pair.base_median - 1;
    Interval ratio = BootstrapRatioCi(a, b);
    pair.ratio_low = ratio.low;
    pair.ratio_high = ratio.high;
    MannWhitney test = MannWhitneyU(a, b);
    pair.p_value = test.p_value;
    pair.exact = test.exact;
    bool significant = pair.p_value < options.alpha;
    if (significant && pair.ratio_low > 1 + options.threshold) {
      pair.verdict = Verdict::kRegressed;
    } else if (significant && pair.ratio_high < 1 - options.threshold) {
      pair.verdict = Verdict::kImproved;
    } else if (std::fabs(pair.change) <= options.threshold) {
      pair.verdict = Verdict::kNoChange;
    } else {
      pair.verdict = Verdict::kWithinNoise;
    }
    if (a.size() < kPowerfulSample || b.size() < kPowerfulSample) ++underpowered;
    report.pairs.push_back(pair);
  }
  for (std::size_t i = 0; i < next.size(); ++i) {
    if (!matched[i]) report.only_in_new.push_back(PairName(next[i]));
  }
  if (underpowered > 0) {
    report.warnings.push_back(fmt::format(
        "{} of {} pairs have fewer than {} repetitions on a side: the U test has little power "
        "there (with 3 and 3 it can never reach p < 0.05); run with -r 10 or more",
        underpowered, report.pairs.size(), kPowerfulSample));
  }
  return report;
}

}  // namespace concbench
