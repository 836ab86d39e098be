#include "results/statistics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>
#include "util/json_text.hpp"

namespace concbench {
namespace {

constexpr std::size_t kMaxExact = 50;
constexpr double kWarnOutlierScore = 14;

// The median of `values`, reordering them.
double MedianInPlace(std::vector<double>& values) {
  if (values.empty()) return 0;
  std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  double upper = values[mid];
  if (values.size() % 2) return upper;
  double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

// P(U <= u) and P(U >= u) from the exact distribution of U for samples of n and m without ties:
// counts[u] is the number of orderings with U = u (the Gaussian binomial's coefficients).
std::pair<double, double> ExactTails(std::size_t n, std::size_t m, double u) {
  std::size_t top = n * m;
  // by_size[j][k]: orderings of j values of the first sample among the second's seen so far
  // whose U is k. Adding the second sample's values one at a time keeps one table.
  std::vector<std::vector<double>> by_size(n + 1, std::vector<double>(top + 1, 0));
  for (std::size_t j = 0; j <= n; ++j) by_size[j][0] = 1;
  for (std::size_t seen = 1; seen <= m; ++seen) {
    for (std::size_t j = 1; j <= n; ++j) {
      // The largest value is from the second sample (U unchanged, table from `seen - 1`), or
      // from the first, above all `seen` of the second (adds `seen`).
      for (std::size_t k = top; k >= seen; --k) by_size[j][k] += by_size[j - 1][k - seen];
    }
  }
  const std::vector<double>& counts = by_size[n];
  double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  double below = 0, above = 0;
  for (std::size_t k = 0; k <= top; ++k) {
    if (static_cast<double>(k) <= u) below += counts[k];
    if (static_cast<double>(k) >= u) above += counts[k];
  }
  return {below / total, above / total};
}

}  // namespace

double Mad(std::span<const double> values, double median) {
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - median));
  return MedianInPlace(deviations);
}

double Median(std::span<const double> values) {
  std::vector<double> copy(values.begin(), values.end());
  return MedianInPlace(copy);
}

std::vector<std::size_t> Outliers(std::span<const double> values, double threshold) {
  std::vector<std::size_t> outliers;
  double median = Median(values);
  double mad = Mad(values, median);
  if (mad <= 0) return outliers;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (0.6745 * std::fabs(values[i] - median) / mad > threshold) outliers.push_back(i);
  }
  return outliers;
}

MannWhitney MannWhitneyU(std::span<const double> a, std::span<const double> b) {
  MannWhitney test;
  if (a.empty() || b.empty()) return test;
  for (double x : a) {
    for (double y : b) test.u += x > y ? 1.0 : x == y ? 0.5 : 0.0;
  }
  std::vector<double> all(a.begin(), a.end());
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  double tie_term = 0;  // sum of t^3 - t over groups of t equal values
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    auto t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  if (tie_term == 0 && a.size() <= kMaxExact && b.size() <= kMaxExact) {
    auto [below, above] = ExactTails(a.size(), b.size(), test.u);
    test.p_value = std::min(1.0, 2 * std::min(below, above));
    test.exact = true;
    return test;
  }
  auto n1 = static_cast<double>(a.size());
  auto n2 = static_cast<double>(b.size());
  double n = n1 + n2;
  double mean = n1 * n2 / 2;
  double variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return test;  // every value equal: no evidence of a difference
  double z = std::max(0.0, std::fabs(test.u - mean) - 0.5) / std::sqrt(variance);
  test.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return test;
}

Summary Summarize(std::span<const double> values) {
  Summary summary;
  if (values.empty()) return summary;
  auto [min, max] = std::minmax_element(values.begin(), values.end());
  summary.min = *min;
  summary.max = *max;
  summary.mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  summary.median = Median(values);
  if (values.size() > 1) {
    double squares = 0;
    for (double v : values) squares += (v - summary.mean) * (v - summary.mean);
    summary.stddev = std::sqrt(squares / static_cast<double>(values.size() - 1));
  }
  summary.mad = Mad(values, summary.median);
  summary.p5 = Percentile(values, 5);
  summary.p25 = Percentile(values, 25);
  summary.p75 = Percentile(values, 75);
  summary.p95 = Percentile(values, 95);
  summary.cv = summary.mean > 0 ? summary.stddev / summary.mean : 0;
  Interval ci = BootstrapMedianCi(values);
  summary.median_ci_low = ci.low;
  summary.median_ci_high = ci.high;
  summary.outliers = Outliers(values).size();
  return summary;
}

void FillSpeedups(std::vector<Result>& results, std::string_view baseline) {
  for (Result& result : results) {
    result.speedup.reset();
    for (const Result& base : results) {
      if (base.engine == baseline && base.run == result.run && base.workload == result.workload &&
          base.workload_parameters == result.workload_parameters && result.wall.median > 0) {
        result.speedup = base.wall.median / result.wall.median;
      }
    }
  }
}

void FillRelative(std::vector<Result>& results, const std::string& reference,
                  std::string_view baseline) {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::vector<Result*>> groups;
  for (Result& result : results) {
    result.relative.reset();
    groups[{result.run, result.workload, DumpJson(result.workload_parameters)}].push_back(&result);
  }
  for (auto& group : groups) {
    std::vector<Result*>& members = group.second;
    auto named = [&](std::string_view engine) -> Result* {
      for (Result* r : members) {
        if (r->engine == engine) return r;
      }
      return nullptr;
    };
    Result* base = reference.empty() ? nullptr : named(reference);
    if (base == nullptr) base = named(baseline);
    if (base == nullptr) {
      base = *std::min_element(members.begin(), members.end(), [](Result* x, Result* y) {
        return x->wall.median < y->wall.median;
      });
    }
    if (base->wall.median <= 0) continue;
    for (Result* r : members) {
      if (r->wall.median <= 0) continue;
      Relative relative{.reference = base->engine, .ratio = base->wall.median / r->wall.median};
      if (r != base) {
        double a = base->wall.stddev / base->wall.median;
        double b = r->wall.stddev / r->wall.median;
        relative.uncertainty = relative.ratio * std::sqrt(a * a + b * b);
      }
      r->relative = relative;
    }
  }
}

namespace {

// How each noise warning begins (kOutliers: after the counts).
constexpr std::string_view kNoisy = "noisy:";
constexpr std::string_view kFirstSlow = "the first repetition";
constexpr std::string_view kOutliers = "repetitions are far outliers";

}  // namespace

bool IsNoiseWarning(std::string_view warning) {
  return warning.starts_with(kNoisy) || warning.starts_with(kFirstSlow) ||
         warning.find(kOutliers) != std::string_view::npos;
}

std::vector<std::string> MeasurementWarnings(const Result& result, unsigned warmup) {
  std::vector<std::string> warnings;
  const std::vector<double>& times = result.times;
  const Summary& wall = result.wall;
  if (times.size() >= 3 && wall.cv > 0.1) {
    warnings.push_back(fmt::format(
        "{} the coefficient of variation is {:.0f}%; other load on the machine may distort "
        "this result (more repetitions with --min-runs narrow its interval)",
        kNoisy, wall.cv * 100));
  }
  if (times.size() >= 3) {
    // Far out by the score and by at least 5% of the median: a tight sample's MAD is tiny,
    // and a difference of a percent is not worth a warning.
    std::vector<std::size_t> outliers;
    for (std::size_t i : Outliers(times, kWarnOutlierScore)) {
      if (std::fabs(times[i] - wall.median) > 0.05 * wall.median) outliers.push_back(i);
    }
    bool first_slow = !outliers.empty() && outliers.front() == 0 && times[0] > wall.median;
    if (first_slow) {
      warnings.push_back(fmt::format(
          "{} ({:.3g} s) was far slower than the median ({:.3g} s): caches or "
          "the system were still warming up; consider --warmup {}",
          kFirstSlow, times[0], wall.median, warmup + 1));
    } else if (!outliers.empty()) {
      warnings.push_back(fmt::format(
          "{} of {} {} (modified Z-score above 14): something else may have been running",
          outliers.size(), times.size(), kOutliers));
    }
  }
  return warnings;
}

LatencySummary SummarizeLatency(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  return SummarizeLatencyInPlace(sorted);
}

LatencySummary SummarizeLatencyInPlace(std::vector<double>& values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());  // sorted once for all percentiles
  return {PercentileOfSorted(values, 50), PercentileOfSorted(values, 90),
          PercentileOfSorted(values, 99), values.back()};
}

void FillLatency(Result& result) {
  std::vector<double> starts;
  std::vector<double> ends;
  for (const TaskSpan& span : result.timeline) {
    if (span.status != TaskStatus::kOk) continue;
    starts.push_back(span.start);
    ends.push_back(span.end);
  }
  result.start_delay = SummarizeLatency(starts);
  result.completion = SummarizeLatency(ends);
}

}  // namespace concbench
