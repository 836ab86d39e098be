// Statistics that turn measured samples into results. Pure functions; reporters only format.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "results/bootstrap.hpp"  // Interval, used by the summaries
#include "results/result.hpp"
#include "util/percentile.hpp"  // Percentile

namespace concbench {

// Summarises `values`; all zeros when empty.
Summary Summarize(std::span<const double> values);

// The median of `values` (the mean of the middle two for an even count); 0 when empty.
double Median(std::span<const double> values);

// The median absolute deviation of `values` from `median` (unscaled).
double Mad(std::span<const double> values, double median);

// The indexes of values whose modified Z-score 0.6745 (x - median) / MAD exceeds `threshold`
// (3.5 as Iglewicz and Hoaglin recommend); none when the MAD is 0.
std::vector<std::size_t> Outliers(std::span<const double> values, double threshold = 3.5);

struct MannWhitney {
  double u = 0;        // U of the first sample: pairs (x in a, y in b) with x > y, ties half
  double p_value = 1;  // two-sided
  bool exact = false;  // from the exact distribution of U (small samples without ties)
};

// The two-sided Mann-Whitney U test of `a` against `b`: exact when both samples have at most
// 50 values and no ties; otherwise the normal approximation with tie and continuity corrections.
MannWhitney MannWhitneyU(std::span<const double> a, std::span<const double> b);

// Sets each result's speedup to the `baseline` engine's median over its own, for results whose
// workload and parameters also ran on the baseline engine; leaves the others empty.
void FillSpeedups(std::vector<Result>& results, std::string_view baseline);

// The p50, p90, p99 and max of `values` (linear interpolation between closest ranks, as
// numpy's default); all zeros when empty.
LatencySummary SummarizeLatency(std::span<const double> values);
// The same, sorting `values` in place rather than a copy of them.
LatencySummary SummarizeLatencyInPlace(std::vector<double>& values);

// Sets result.start_delay and result.completion from the completed tasks of result.timeline.
void FillLatency(Result& result);
// Sets each result's speed relative to the reference engine's result of the same run, workload
// and workload parameters: `reference` when given and present, else `baseline` when it ran,
// else the fastest. The uncertainty propagates both standard deviations, as hyperfine does.
void FillRelative(std::vector<Result>& results, const std::string& reference,
                  std::string_view baseline);

// Warnings about a result's sample: a high coefficient of variation, and outliers far enough
// out to matter (modified Z-score above 14, hyperfine's threshold: timings have tight centres,
// so 3.5 flags harmless jitter) that are also 5% or more from the median, naming a slow first
// repetition (suggesting --warmup).
std::vector<std::string> MeasurementWarnings(const Result& result, unsigned warmup);

// True for a warning of MeasurementWarnings: the repetitions' spread, outliers or a slow first
// repetition, which other load on the machine causes.
bool IsNoiseWarning(std::string_view warning);

}  // namespace concbench
