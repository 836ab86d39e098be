// Comparing two results files: pairs results by (run name, workload, engine, sweep point) when
// they carry a run name, else by (workload, engine, parameters), and tells a real change from
// noise with a Mann-Whitney U test, a bootstrap interval, a threshold and the noise measured in
// the samples themselves. Results that are not verified are never compared.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace concbench {

// kCpu: user + system CPU seconds of each repetition.
enum class Metric { kWall, kUser, kSystem, kCpu, kPeakRss };
// kNotComparable: a side not verified, or no ratio (a base median of 0, a number not finite).
enum class Verdict { kImproved, kRegressed, kNoChange, kWithinNoise, kNotComparable };

std::string_view MetricName(Metric metric);     // "wall", "user", "system", "cpu", "peak_rss"
std::string_view VerdictName(Verdict verdict);  // "improved", "regressed", ...
bool MetricIsSeconds(Metric metric);            // false: bytes

struct CompareOptions {
  Metric metric = Metric::kWall;
  // Each pair on cpu when the base is CPU-bound (its CPU time at least half its wall time), on
  // wall otherwise; `metric` is then ignored.
  bool auto_metric = false;
  double threshold = 0.05;  // a change smaller than this fraction of the base is no change
  double alpha = 0.05;      // significance level of the test
};

// The names --metric accepts: every metric's name, and "auto".
std::vector<std::string> CompareMetricNames();

// Options from --metric NAME (one of CompareMetricNames), --threshold PCT and --alpha.
CompareOptions CompareOptionsFrom(const std::string& metric, double threshold_percent,
                                  double alpha);

// The verdict of a pair's first round, when a later round confirmed or cleared it (ab).
struct FirstRound {
  Verdict verdict = Verdict::kNoChange;
  double change = 0;
  std::size_t rounds = 0;
};

struct PairComparison {
  std::string name;               // "[run: ]workload on engine (parameters)"
  Metric metric = Metric::kWall;  // the figure that gated this pair
  std::size_t base_count = 0, new_count = 0;
  double base_median = 0, new_median = 0;
  double change = 0;                     // new / base - 1 (paired: the median of the ratios - 1)
  double ratio_low = 0, ratio_high = 0;  // 95% bootstrap interval of new / base
  double p_value = 1;                    // two-sided: Mann-Whitney U, or signed-rank when paired
  bool exact = false;                    // p from the exact distribution
  bool paired = false;                   // samples paired by interleaved round (ab)
  // The spread of one new/base ratio, measured in these samples (robust: 1.4826 MAD), and the
  // smallest change reported: the larger of half of it and the threshold.
  double noise = 0;
  double floor = 0;
  Verdict verdict = Verdict::kNoChange;
  std::string why_not_comparable;         // kNotComparable: e.g. "the new run is not verified: ..."
  std::optional<FirstRound> first_round;  // ab: the round a confirmation round re-measured
};

struct ComparisonReport {
  CompareOptions options;
  std::vector<PairComparison> pairs;
  std::vector<std::string> only_in_base;  // names of results with no partner
  std::vector<std::string> only_in_new;
  std::vector<std::string> warnings;  // e.g. too few repetitions for the test to have power

  bool regressed() const;
  std::size_t not_comparable() const;  // pairs with verdict kNotComparable
  // The gate fails: a pair regressed, or one could not be compared (a failed run or a broken
  // baseline must not let a regression through).
  bool failed() const { return regressed() || not_comparable() > 0; }
};

// The samples of `metric` of one result (seconds or bytes); empty when the file had none.
std::vector<double> Samples(const Result& result, Metric metric);

// The metric a pair whose base is `base` is gated on under `options`.
Metric GatingMetric(const Result& base, const CompareOptions& options);

// Why the pair (base, next) cannot be compared because a side is not verified (failed or
// cancelled tasks, none completed, a failed claim), or "".
std::string WhyUnverified(const Result& base, const Result& next);

// Why the pair's peak memory cannot be compared under `metric`: one side's is the proportional
// set size of forked workers ("pss"), the other's another measure (an older file's per-process
// sum); else "".
std::string WhyMemoryDiffers(const Result& base, const Result& next, Metric metric);

// Sets pair.floor (the threshold, or half the measured noise when larger) and sets the verdict from
// the change, its interval and p: regressed (improved) when p < alpha and the whole interval lies
// above 1 + floor (below 1 - floor); no change when the change is at most the floor; within noise
// otherwise (a change beyond the floor that the data cannot confirm).
void Judge(PairComparison& pair, const CompareOptions& options);

// Compares every pair of independent samples (two results files). Not comparable: a side not
// verified, a base median of 0, a median or sample that is not a finite number.
ComparisonReport CompareResults(const std::vector<Result>& base, const std::vector<Result>& next,
                                const CompareOptions& options);

// The key results pair by: run, workload, engine, and the sweep point (named runs) or every
// parameter (unnamed ones).
std::string PairKey(const Result& result);

// "[run: ]workload on engine (parameters)".
std::string PairName(const Result& result);

}  // namespace concbench
