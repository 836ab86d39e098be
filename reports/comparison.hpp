// Comparing two results files: pairs results by (run name, workload, engine, sweep point) when
// they carry a run name, else by (workload, engine, parameters), and tells
// a real change from noise with a Mann-Whitney U test, a threshold and a bootstrap interval.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/result.hpp"

namespace concbench {

enum class Metric { kWall, kUser, kSystem, kPeakRss };
// kNotComparable: a base median of 0 or a median that is not a finite number has no ratio.
enum class Verdict { kImproved, kRegressed, kNoChange, kWithinNoise, kNotComparable };

std::string_view MetricName(Metric metric);     // "wall", "user", "system", "peak_rss"
std::string_view VerdictName(Verdict verdict);  // "improved", "regressed", ...
bool MetricIsSeconds(Metric metric);            // false: bytes

struct CompareOptions {
  Metric metric = Metric::kWall;
  double threshold = 0.05;  // a change smaller than this fraction of the base is no change
  double alpha = 0.05;      // significance level of the U test
};

struct PairComparison {
  std::string name;  // "[run: ]workload on engine (parameters)"
  std::size_t base_count = 0, new_count = 0;
  double base_median = 0, new_median = 0;
  double change = 0;                     // new / base - 1
  double ratio_low = 0, ratio_high = 0;  // 95% bootstrap interval of new / base medians
  double p_value = 1;                    // two-sided Mann-Whitney U
  bool exact = false;                    // p from the exact distribution
  Verdict verdict = Verdict::kNoChange;
  std::string why_not_comparable;  // kNotComparable: e.g. "the base median is 0"
};

struct ComparisonReport {
  CompareOptions options;
  std::vector<PairComparison> pairs;
  std::vector<std::string> only_in_base;  // names of results with no partner
  std::vector<std::string> only_in_new;
  std::vector<std::string> warnings;  // e.g. too few repetitions for the test to have power

  bool regressed() const;
  std::size_t not_comparable() const;  // pairs with verdict kNotComparable
  // The gate fails: a pair regressed, or one could not be compared (a broken baseline must not
  // let a regression through).
  bool failed() const { return regressed() || not_comparable() > 0; }
};

// The samples of `metric` of one result (seconds or bytes); empty when the file had none.
std::vector<double> Samples(const Result& result, Metric metric);

// Compares every pair. Verdicts: regressed (improved) when the U test is significant at
// `alpha` and the whole 95% interval of the ratio of medians lies above 1 + threshold (below
// 1 - threshold); no change when the medians differ by at most `threshold`; within noise
// otherwise (a change beyond the threshold that the data cannot confirm); not comparable when
// the base median is 0 or either median is not a finite number (never improved).
ComparisonReport CompareResults(const std::vector<Result>& base, const std::vector<Result>& next,
                                const CompareOptions& options);

}  // namespace concbench
