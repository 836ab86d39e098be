#include "results/comparison.hpp"
#include "results/bootstrap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <span>

#include "results/labels.hpp"
#include "results/statistics.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

constexpr std::size_t kPowerfulSample = 5;
constexpr double kMadToSigma = 1.4826;  // MAD × this estimates σ of a normal sample

// Why samples `a` (base) and `b` (new) with these medians have no ratio to judge, or "".
std::string WhyNoRatio(std::span<const double> a, std::span<const double> b, double base_median,
                       double new_median) {
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

// The robust relative spread of `values`: 1.4826 × MAD / median; 0 when the median is 0.
double RelativeSpread(std::span<const double> values) {
  double median = Median(values);
  return median > 0 ? kMadToSigma * Mad(values, median) / median : 0;
}

std::string SideReason(const char* side, const Result& r) {
  if (r.tasks.total > 0 && r.tasks.completed == 0) {
    return fmt::format("the {} run completed no task", side);
  }
  std::string reason = r.unverified_reason.empty() ? "not verified" : r.unverified_reason;
  return fmt::format("the {} run is not verified: {}", side, reason);
}

PairComparison CompareIndependent(const Result& old_result, const Result& new_result,
                                  const CompareOptions& options) {
  PairComparison pair;
  pair.name = PairName(old_result);
  pair.metric = GatingMetric(old_result, options);
  std::vector<double> a = Samples(old_result, pair.metric);
  std::vector<double> b = Samples(new_result, pair.metric);
  pair.base_count = a.size();
  pair.new_count = b.size();
  pair.base_median = Median(a);
  pair.new_median = Median(b);
  pair.why_not_comparable = WhyUnverified(old_result, new_result);
  if (pair.why_not_comparable.empty()) {
    pair.why_not_comparable = WhyMemoryDiffers(old_result, new_result, pair.metric);
  }
  if (pair.why_not_comparable.empty()) {
    pair.why_not_comparable = WhyNoRatio(a, b, pair.base_median, pair.new_median);
  }
  if (!pair.why_not_comparable.empty()) {
    pair.verdict = Verdict::kNotComparable;
    return pair;
  }
  pair.change = pair.new_median / pair.base_median - 1;
  Interval ratio = BootstrapRatioCi(a, b);
  pair.ratio_low = ratio.low;
  pair.ratio_high = ratio.high;
  MannWhitney test = MannWhitneyU(a, b);
  pair.p_value = test.p_value;
  pair.exact = test.exact;
  pair.noise = std::hypot(RelativeSpread(a), RelativeSpread(b));
  Judge(pair, options);
  return pair;
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
    case Metric::kCpu:
      return "cpu";
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

constexpr Metric kMetrics[] = {Metric::kWall, Metric::kUser, Metric::kSystem, Metric::kCpu,
                               Metric::kPeakRss};

std::vector<std::string> CompareMetricNames() {
  std::vector<std::string> names;
  for (Metric metric : kMetrics) names.emplace_back(MetricName(metric));
  names.emplace_back("auto");
  return names;
}

CompareOptions CompareOptionsFrom(const std::string& metric, double threshold_percent,
                                  double alpha) {
  CompareOptions options{
      .auto_metric = metric == "auto", .threshold = threshold_percent / 100, .alpha = alpha};
  for (Metric m : kMetrics) {
    if (MetricName(m) == metric) options.metric = m;
  }
  return options;
}

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
    case Metric::kCpu: {
      std::vector<double> cpu;
      for (std::size_t i = 0; i < result.user_times.size() && i < result.system_times.size(); ++i) {
        cpu.push_back(result.user_times[i] + result.system_times[i]);
      }
      return cpu;
    }
    case Metric::kPeakRss:
      return std::vector<double>(result.peak_rss_samples.begin(), result.peak_rss_samples.end());
  }
  return {};
}

Metric GatingMetric(const Result& base, const CompareOptions& options) {
  if (!options.auto_metric) return options.metric;
  std::vector<double> cpu = Samples(base, Metric::kCpu);
  if (cpu.empty() || cpu.size() != base.times.size()) return Metric::kWall;
  double wall = Median(base.times);
  return wall > 0 && Median(cpu) >= 0.5 * wall ? Metric::kCpu : Metric::kWall;
}

std::string WhyUnverified(const Result& base, const Result& next) {
  if (!base.verified) return SideReason("base", base);
  if (!next.verified) return SideReason("new", next);
  return "";
}

void Judge(PairComparison& pair, const CompareOptions& options) {
  pair.floor = std::max(options.threshold, pair.noise / 2);
  bool significant = pair.p_value < options.alpha;
  if (significant && pair.ratio_low > 1 + pair.floor) {
    pair.verdict = Verdict::kRegressed;
  } else if (significant && pair.ratio_high < 1 - pair.floor) {
    pair.verdict = Verdict::kImproved;
  } else if (std::fabs(pair.change) <= pair.floor) {
    pair.verdict = Verdict::kNoChange;
  } else {
    pair.verdict = Verdict::kWithinNoise;
  }
}

std::string WhyMemoryDiffers(const Result& base, const Result& next, Metric metric) {
  if (metric != Metric::kPeakRss) return "";
  if ((base.memory_method == "pss") == (next.memory_method == "pss")) return "";
  return fmt::format("peak memory measured differently: base {}, new {} (see memory_method)",
                     base.memory_method, next.memory_method);
}

std::string PairKey(const Result& r) {
  std::string key = r.run + '\x1f' + r.workload + '\x1f' + r.engine + '\x1f';
  if (!r.run.empty()) return key + DumpJson(r.sweep);
  // Every parameter as one set: a file written before "engine_settings" keeps the engine's own
  // among the workload's, and pairs with a newer one all the same.
  nlohmann::json parameters = r.workload_parameters;
  if (!parameters.is_object()) parameters = nlohmann::json::object();
  if (r.engine_parameters.is_object()) parameters.update(r.engine_parameters);
  return key + DumpJson(parameters);
}

std::string PairName(const Result& r) {
  std::string name = r.run.empty() ? "" : r.run + ": ";
  name += r.workload + " on " + r.engine;
  std::string parameters = ParameterText(r, ", ");
  if (!parameters.empty()) name += " (" + parameters + ")";
  std::string settings = EngineSettingsText(r, ", ");
  return settings.empty() ? name : name + " with " + settings;
}

ComparisonReport CompareResults(const std::vector<Result>& base, const std::vector<Result>& next,
                                const CompareOptions& options) {
  ComparisonReport report;
  report.options = options;
  // Each key's unmatched new results, in file order: n log n, not n².
  std::map<std::string, std::vector<std::size_t>> waiting;
  for (std::size_t i = next.size(); i-- > 0;) waiting[PairKey(next[i])].push_back(i);
  std::vector<bool> matched(next.size(), false);
  std::size_t underpowered = 0;
  for (const Result& old_result : base) {
    auto found = waiting.find(PairKey(old_result));
    if (found == waiting.end() || found->second.empty()) {
      report.only_in_base.push_back(PairName(old_result));
      continue;
    }
    std::size_t partner = found->second.back();
    found->second.pop_back();
    matched[partner] = true;
    PairComparison pair = CompareIndependent(old_result, next[partner], options);
    if (pair.verdict != Verdict::kNotComparable &&
        (pair.base_count < kPowerfulSample || pair.new_count < kPowerfulSample)) {
      ++underpowered;
    }
    report.pairs.push_back(std::move(pair));
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
