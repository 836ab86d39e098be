#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "results/comparison.hpp"
#include "results/json.hpp"
#include "results/result.hpp"
#include "results/statistics.hpp"
#include "tests/sample_result.hpp"

namespace concbench {
namespace {

using testing::SampleResult;

TEST(Statistics, PercentilesInterpolateLinearly) {
  std::vector<double> values = {4, 1, 3, 2};  // numpy.percentile's answers
  EXPECT_DOUBLE_EQ(Percentile(values, 25), 1.75);
  EXPECT_DOUBLE_EQ(Percentile(values, 50), 2.5);
  EXPECT_DOUBLE_EQ(Percentile(values, 95), 3.85);
  EXPECT_DOUBLE_EQ(Percentile(values, 0), 1);
  EXPECT_DOUBLE_EQ(Percentile(values, 100), 4);
  EXPECT_DOUBLE_EQ(Percentile(std::vector<double>{7}, 5), 7);
}

TEST(Statistics, SummaryHasMadPercentilesCvAndInterval) {
  std::vector<double> values = {1, 1, 2, 2, 4, 6, 9};
  Summary s = Summarize(values);
  EXPECT_DOUBLE_EQ(s.median, 2);
  EXPECT_DOUBLE_EQ(s.mad, 1);  // deviations 1 1 0 0 2 4 7
  EXPECT_DOUBLE_EQ(s.p25, 1.5);
  EXPECT_DOUBLE_EQ(s.p75, 5);
  EXPECT_NEAR(s.cv, s.stddev / s.mean, 1e-12);
  // A resample's median is a value of the sample. It is 1 or less when 4 of 7 draws are a 1
  // (binomial, p = 2/7: 11%), 6 or more when 4 of 7 are a 6 or a 9 (11%), 9 only when 4 of 7
  // are the 9 (p = 1/7: 1%): so the 2.5th and 97.5th percentiles are 1 and 6.
  EXPECT_EQ(s.median_ci_low, 1);
  EXPECT_EQ(s.median_ci_high, 6);
  EXPECT_EQ(s.outliers, 1u);  // 9: 0.6745 * 7 / 1 > 3.5
}

TEST(Statistics, BootstrapIsDeterministicAndCollapsesOnConstantData) {
  std::vector<double> values = {1.0, 1.1, 0.9, 1.3, 1.05, 0.95, 1.2};
  Interval first = BootstrapMedianCi(values);
  Interval second = BootstrapMedianCi(values);
  EXPECT_EQ(first.low, second.low);
  EXPECT_EQ(first.high, second.high);
  EXPECT_LT(first.low, first.high);
  Interval constant = BootstrapMedianCi(std::vector<double>{2, 2, 2, 2});
  EXPECT_EQ(constant.low, 2);
  EXPECT_EQ(constant.high, 2);
  Interval ratio = BootstrapRatioCi(std::vector<double>{1, 1, 1}, std::vector<double>{2, 2, 2});
  EXPECT_DOUBLE_EQ(ratio.low, 2);
  EXPECT_DOUBLE_EQ(ratio.high, 2);
}

TEST(Statistics, OutliersByModifiedZScore) {
  std::vector<double> values = {10, 10.1, 9.9, 10.05, 9.95, 30};
  EXPECT_EQ(Outliers(values), std::vector<std::size_t>{5});
  EXPECT_TRUE(Outliers(std::vector<double>{1, 1, 1, 5}).empty());  // MAD 0: undefined
}

// Two-sided exact p-values; the critical values match published Mann-Whitney tables
// (n = 5, 5: U <= 2 at alpha 0.05; n = 8, 8: U <= 13).
TEST(Statistics, MannWhitneyExactMatchesTables) {
  MannWhitney none =
      MannWhitneyU(std::vector<double>{1, 2, 3, 4, 5}, std::vector<double>{6, 7, 8, 9, 10});
  EXPECT_TRUE(none.exact);
  EXPECT_DOUBLE_EQ(none.u, 0);
  EXPECT_NEAR(none.p_value, 2.0 / 252, 1e-12);

  MannWhitney two =
      MannWhitneyU(std::vector<double>{1, 2, 3, 4, 7}, std::vector<double>{5, 6, 8, 9, 10});
  EXPECT_DOUBLE_EQ(two.u, 2);
  EXPECT_NEAR(two.p_value, 8.0 / 252, 1e-12);  // 0.0317

  std::vector<double> y = {1, 2, 3, 4, 5, 6, 7, 8};
  MannWhitney thirteen = MannWhitneyU(std::vector<double>{8.5, 5.5, .1, .2, .3, .4, .5, .6}, y);
  EXPECT_DOUBLE_EQ(thirteen.u, 13);
  EXPECT_NEAR(thirteen.p_value, 0.049883449883, 1e-9);
  EXPECT_LT(thirteen.p_value, 0.05);
  MannWhitney fourteen = MannWhitneyU(std::vector<double>{8.5, 6.5, .1, .2, .3, .4, .5, .6}, y);
  EXPECT_NEAR(fourteen.p_value, 0.064957264957, 1e-9);

  MannWhitney same = MannWhitneyU(std::vector<double>{1, 3, 5}, std::vector<double>{2, 4, 6});
  EXPECT_GT(same.p_value, 0.5);
  MannWhitney unequal =
      MannWhitneyU(std::vector<double>{1, 2, 3, 6.5}, std::vector<double>{4, 5, 6, 7, 8, 9});
  EXPECT_NEAR(unequal.p_value, 0.066666666667, 1e-9);  // U = 3 with n = 4, 6
}

// With ties: the normal approximation with tie and continuity corrections (R's wilcox.test with
// exact = FALSE, correct = TRUE gives W = 8, p = 0.0702).
TEST(Statistics, MannWhitneyWithTiesUsesCorrectedNormal) {
  MannWhitney test =
      MannWhitneyU(std::vector<double>{1, 1, 2, 2, 3, 5}, std::vector<double>{2, 3, 3, 4, 4, 6, 7});
  EXPECT_FALSE(test.exact);
  EXPECT_DOUBLE_EQ(test.u, 8);
  EXPECT_NEAR(test.p_value, 0.0701779, 1e-6);
  EXPECT_DOUBLE_EQ(MannWhitneyU(std::vector<double>{1, 1}, std::vector<double>{1, 1}).p_value, 1);
}

Result Timed(std::string engine, std::vector<double> times) {
  Result r;
  r.workload = "sleep";
  r.engine = std::move(engine);
  r.times = std::move(times);
  r.wall = Summarize(r.times);
  return r;
}

TEST(Statistics, RelativeSpeedAgainstReference) {
  std::vector<Result> results = {Timed("pool", {2, 2.2, 1.8}), Timed("sequential", {6, 6, 6}),
                                 Timed("thread", {3, 3, 3})};
  FillRelative(results, "", "sequential");
  EXPECT_EQ(results[0].relative->reference, "sequential");
  EXPECT_DOUBLE_EQ(results[0].relative->ratio, 3);
  EXPECT_NEAR(results[0].relative->uncertainty, 3 * 0.2 / 2, 1e-12);
  EXPECT_DOUBLE_EQ(results[1].relative->ratio, 1);
  FillRelative(results, "thread", "sequential");
  EXPECT_DOUBLE_EQ(results[1].relative->ratio, 0.5);
  results.erase(results.begin() + 1);
  FillRelative(results, "", "sequential");  // no sequential: the fastest
  EXPECT_EQ(results[1].relative->reference, "pool");
  EXPECT_NEAR(results[1].relative->ratio, 2.0 / 3, 1e-12);
}

TEST(Statistics, WarnsAboutSlowFirstRunAndNoise) {
  Result slow_first = Timed("pool", {5, 1, 1.01, 0.99, 1.02, 0.98});
  auto warnings = MeasurementWarnings(slow_first, 0);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings.back().find("--warmup 1"), std::string::npos);
  EXPECT_TRUE(MeasurementWarnings(Timed("pool", {1, 1.01, 0.99, 1}), 1).empty());
  auto noisy = MeasurementWarnings(Timed("pool", {1, 2, 1.5, 0.7, 1.8}), 1);
  ASSERT_FALSE(noisy.empty());
  EXPECT_TRUE(noisy.front().starts_with("noisy: the coefficient of variation is "))
      << noisy.front();
}

TEST(Statistics, SummarizeKnownSample) {
  std::vector<double> values = {2, 4, 4, 4, 5, 5, 7, 9};
  Summary s = Summarize(values);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_NEAR(s.stddev, 2.138089935, 1e-9);  // sample (n - 1) standard deviation
  EXPECT_DOUBLE_EQ(s.min, 2);
  EXPECT_DOUBLE_EQ(s.max, 9);
  EXPECT_DOUBLE_EQ(Median(std::vector<double>{3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Summarize(std::vector<double>{1.5}).stddev, 0);
  EXPECT_DOUBLE_EQ(Summarize(std::vector<double>{}).median, 0);
}

TEST(Statistics, SpeedupIsAgainstSequentialOnTheSameWorkload) {
  std::vector<Result> results = {SampleResult("sequential", 5), SampleResult("thread", 2.5)};
  Result other = SampleResult("pool", 1);
  other.workload_parameters = {{"tasks", 9}};
  results.push_back(other);
  FillSpeedups(results, "sequential");
  EXPECT_DOUBLE_EQ(*results[0].speedup, 1.0);
  EXPECT_DOUBLE_EQ(*results[1].speedup, 2.0);
  EXPECT_FALSE(results[2].speedup.has_value());
}

TEST(Comparison, AZeroOrNonFiniteBaseIsNotComparableNeverImproved) {
  auto timed = [](std::vector<double> times) {
    Result r;
    r.workload = "sleep";
    r.engine = "pool";
    r.times = std::move(times);
    r.verified = true;
    return r;
  };
  std::vector<Result> slow = {timed({1, 1.1, 1.2, 1.05, 1.15, 1.12})};
  ComparisonReport zero = CompareResults({timed({0, 0, 0, 0, 0, 0})}, slow, {});
  ASSERT_EQ(zero.pairs.size(), 1u);
  EXPECT_EQ(zero.pairs[0].verdict, Verdict::kNotComparable);
  EXPECT_EQ(zero.pairs[0].why_not_comparable, "the base median is 0: there is no ratio to compare");
  EXPECT_TRUE(zero.failed());
  EXPECT_FALSE(zero.regressed());
  double nan = std::numeric_limits<double>::quiet_NaN();
  ComparisonReport broken = CompareResults(slow, {timed({1, 1, nan, 1, 1, 1})}, {});
  EXPECT_EQ(broken.pairs[0].verdict, Verdict::kNotComparable);
  EXPECT_EQ(broken.pairs[0].why_not_comparable, "a new sample is not a finite number");
  EXPECT_FALSE(CompareResults(slow, slow, {}).failed());
}

TEST(Json, ResultsWithNonFiniteSamplesAreRefused) {
  nlohmann::json document = {{"schema", kJsonSchema},
                             {"results",
                              {{{"workload", "sleep"},
                                {"engine", "pool"},
                                {"parameters", nlohmann::json::object()},
                                {"times", {1.0, std::numeric_limits<double>::infinity()}}}}}};
  std::string error;
  EXPECT_FALSE(ResultsFromJson(document, &error));
  EXPECT_EQ(error, "results[0].times: inf is not a finite number of 0 or more");
}

TEST(Latency, PercentilesOfAKnownSample) {
  std::vector<double> values;
  for (int i = 100; i >= 0; --i) values.push_back(i);  // 0..100, unsorted
  LatencySummary s = SummarizeLatency(values);
  EXPECT_DOUBLE_EQ(s.p50, 50);
  EXPECT_DOUBLE_EQ(s.p90, 90);
  EXPECT_DOUBLE_EQ(s.p99, 99);
  EXPECT_DOUBLE_EQ(s.max, 100);
  LatencySummary two = SummarizeLatency(std::vector<double>{1, 2});
  EXPECT_DOUBLE_EQ(two.p50, 1.5);  // between the closest ranks
  EXPECT_DOUBLE_EQ(two.p90, 1.9);
  EXPECT_DOUBLE_EQ(SummarizeLatency(std::vector<double>{}).max, 0);
}

TEST(Latency, OnlyCompletedTasksCount) {
  Result result;
  result.workload_parameters = result.engine_parameters = nlohmann::json::object();
  result.timeline = {{0, 0.0, 1.0, 1, TaskStatus::kOk},
                     {1, 1.0, 3.0, 1, TaskStatus::kOk},
                     {2, 0.5, 9.0, 2, TaskStatus::kFailed},
                     {3, 0, 0, 0, TaskStatus::kNotRun}};
  FillLatency(result);
  EXPECT_DOUBLE_EQ(result.start_delay.p50, 0.5);
  EXPECT_DOUBLE_EQ(result.start_delay.max, 1.0);
  EXPECT_DOUBLE_EQ(result.completion.p50, 2.0);
  EXPECT_DOUBLE_EQ(result.completion.max, 3.0);
  nlohmann::json json = ResultToJson(result);
  EXPECT_DOUBLE_EQ(json["latency"]["completion"]["max"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(json["latency"]["start_delay"]["p90"].get<double>(), 0.9);
  ASSERT_EQ(json["timeline"].size(), 4u);
  EXPECT_EQ(json["timeline"][1], nlohmann::json({1, 1.0, 3.0, 1, "ok"}));
  EXPECT_EQ(json["timeline"][2][4], "failed");
}

TEST(Latency, LargeTimelinesAreLeftOutOfTheResultsJson) {
  Result result;
  result.workload_parameters = result.engine_parameters = nlohmann::json::object();
  result.timeline.resize(kMaxTimelineTasks + 1);
  EXPECT_TRUE(ResultToJson(result)["timeline"].is_null());
}

}  // namespace
}  // namespace concbench
