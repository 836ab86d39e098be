// The gate's judgements: verified sides only, the measured noise floor, the signed-rank test,
// rounds paired by place, confirmation, and names that survive a change of parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "core/files.hpp"
#include "reports/gbench.hpp"
#include "results/comparison.hpp"
#include "results/json.hpp"
#include "results/labels.hpp"
#include "results/paired_comparison.hpp"
#include "results/signed_rank.hpp"

namespace concbench {
namespace {

Result Timed(std::vector<double> times, std::string engine = "pool") {
  Result r;
  r.workload = "sleep";
  r.engine = std::move(engine);
  r.workload_parameters = nlohmann::json::object();
  r.engine_parameters = nlohmann::json::object();
  r.times = times;
  r.user_times = std::vector<double>(times.size(), 0.001);
  r.system_times = std::vector<double>(times.size(), 0.001);
  r.tasks = {8, 8, 0, 0, 0};
  r.verified = true;
  return r;
}

// `n` values around `centre`, each a little off in turn (a spread of about 1%).
std::vector<double> Around(double centre, std::size_t n) {
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) {
    values.push_back(centre * (1 + 0.004 * static_cast<double>((i * 7) % 5) - 0.008));
  }
  return values;
}

TEST(SignedRank, MatchesScipysExactAndApproximateValues) {
  // scipy.stats.wilcoxon(range(1, 11)).pvalue == 2 / 1024
  SignedRank all_up = WilcoxonSignedRank(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_TRUE(all_up.exact);
  EXPECT_DOUBLE_EQ(all_up.w_plus, 55);
  EXPECT_NEAR(all_up.p_value, 0.001953125, 1e-12);
  // scipy: statistic 5, p 0.078125
  SignedRank mixed =
      WilcoxonSignedRank(std::vector<double>{0.5, -1.2, 2.1, 3.3, -0.4, 1.7, 2.6, 0.9});
  EXPECT_DOUBLE_EQ(mixed.w_plus, 31);  // 36 - 5
  EXPECT_NEAR(mixed.p_value, 0.078125, 1e-12);
  // Ties: the normal approximation with tie and continuity corrections (scipy mode='approx').
  std::vector<double> tied = {1, 1, 2, -2, 3, 3, 3, -1};
  for (int v = 4; v <= 27; ++v) tied.push_back(v);
  SignedRank approximate = WilcoxonSignedRank(tied);
  EXPECT_FALSE(approximate.exact);
  EXPECT_NEAR(approximate.p_value, 1.5353945855494801e-06, 1e-12);
  // Zeros are dropped; nothing left is no evidence.
  EXPECT_EQ(WilcoxonSignedRank(std::vector<double>{0, 0, 1}).used, 1u);
  EXPECT_DOUBLE_EQ(WilcoxonSignedRank(std::vector<double>{0, 0}).p_value, 1);
}

TEST(Comparison, AFailedRunIsNotComparableNeverImproved) {
  Result base = Timed(Around(1.0, 10));
  Result failed = Timed(Around(0.5, 10));  // twice as fast: because half its tasks failed
  failed.verified = false;
  failed.unverified_reason = "4 of 8 tasks failed";
  failed.tasks = {8, 4, 4, 0, 0};
  ComparisonReport report = CompareResults({base}, {failed}, {});
  ASSERT_EQ(report.pairs.size(), 1u);
  EXPECT_EQ(report.pairs[0].verdict, Verdict::kNotComparable);
  EXPECT_EQ(report.pairs[0].why_not_comparable, "the new run is not verified: 4 of 8 tasks failed");
  EXPECT_TRUE(report.failed());
  Result nothing = Timed(Around(0.001, 10));
  nothing.verified = false;
  nothing.tasks = {8, 0, 8, 0, 0};
  EXPECT_EQ(CompareResults({nothing}, {base}, {}).pairs[0].why_not_comparable,
            "the base run completed no task");
  // The same data verified is an improvement: the verdict came from verification alone.
  failed.verified = true;
  EXPECT_EQ(CompareResults({base}, {failed}, {}).pairs[0].verdict, Verdict::kImproved);
}

TEST(Comparison, AFailedClaimInTheFileMakesItsResultsUnverified) {
  Result r = Timed(Around(1.0, 6));
  r.run = "fanout";
  ExpectationOutcome claim{.run = "fanout",
                           .engine = "pool",
                           .claim = "quick",
                           .metric = "median",
                           .expected = "500 ms ± 20%",
                           .measured = "1.00 s",
                           .passed = false};
  std::ostringstream file;
  WriteJson(file, Context{}, {r}, SuiteToJson("s.json", "", 1, {claim}));
  nlohmann::json document = nlohmann::json::parse(file.str());
  std::string error;
  auto results = ResultsFromText(document.dump(), "f.json", Metric::kWall, &error);
  ASSERT_TRUE(results) << error;
  EXPECT_FALSE((*results)[0].verified);
  EXPECT_EQ((*results)[0].unverified_reason,
            "claim failed: quick: median expected 500 ms ± 20%, measured 1.00 s");
  document["expectations"][0]["passed"] = true;
  EXPECT_TRUE((*ResultsFromText(document.dump(), "f.json", Metric::kWall, &error))[0].verified);
}

TEST(Comparison, TheFloorIsTheMeasuredNoiseWhenItExceedsTheThreshold) {
  // Samples spread by ±40%: a 15% change of the median is within their noise, not a regression.
  std::vector<double> noisy_a = {0.6, 1.4, 0.8, 1.2, 1.0, 0.7, 1.3, 0.9, 1.1, 1.0};
  std::vector<double> noisy_b;
  for (double v : noisy_a) noisy_b.push_back(v * 1.15);
  PairComparison noisy = CompareResults({Timed(noisy_a)}, {Timed(noisy_b)}, {}).pairs[0];
  EXPECT_GT(noisy.noise / 2, 0.15);
  EXPECT_DOUBLE_EQ(noisy.floor, noisy.noise / 2);
  EXPECT_NE(noisy.verdict, Verdict::kRegressed);
  // Tight samples: the threshold is the floor, and the same change regresses.
  PairComparison tight =
      CompareResults({Timed(Around(1.0, 10))}, {Timed(Around(1.15, 10))}, {}).pairs[0];
  EXPECT_DOUBLE_EQ(tight.floor, 0.05);
  EXPECT_EQ(tight.verdict, Verdict::kRegressed);
}

TEST(Comparison, AutoGatesCpuBoundPairsOnCpuTime) {
  Result waiting = Timed(Around(1.0, 6));
  Result busy = waiting;
  busy.user_times = Around(1.9, 6);  // two cores busy
  CompareOptions options{.auto_metric = true};
  EXPECT_EQ(GatingMetric(waiting, options), Metric::kWall);
  EXPECT_EQ(GatingMetric(busy, options), Metric::kCpu);
  Result slower_cpu = busy;
  slower_cpu.user_times = Around(2.3, 6);  // the wall the same, 21% more CPU
  PairComparison pair = CompareResults({busy}, {slower_cpu}, options).pairs[0];
  EXPECT_EQ(pair.metric, Metric::kCpu);
  EXPECT_EQ(pair.verdict, Verdict::kRegressed);
}

TEST(Comparison, PairingIsByKeyInOrderAndListsTheUnpaired) {
  std::vector<Result> base, next;
  for (int i = 0; i < 2000; ++i) {
    Result r = Timed({1.0, 1.0, 1.0});
    r.workload_parameters = {{"tasks", i}};
    base.push_back(r);
    r.workload_parameters = {{"tasks", i + 1}};
    next.push_back(r);
  }
  ComparisonReport report = CompareResults(base, next, {});
  EXPECT_EQ(report.pairs.size(), 1999u);
  ASSERT_EQ(report.only_in_base.size(), 1u);
  EXPECT_EQ(report.only_in_base[0], "sleep on pool (tasks=0)");
  ASSERT_EQ(report.only_in_new.size(), 1u);
  EXPECT_EQ(report.only_in_new[0], "sleep on pool (tasks=2000)");
}

// A file written before "engine_settings" holds the engine's own among the workload's: it pairs
// with a newer one all the same.
TEST(Comparison, AnOlderFileWithoutEngineSettingsPairs) {
  Result old_result = Timed({1.0, 1.0, 1.0});
  old_result.workload_parameters = {{"tasks", 2}, {"workers", 2}};
  Result new_result = Timed({1.0, 1.0, 1.0});
  new_result.workload_parameters = {{"tasks", 2}};
  new_result.engine_parameters = {{"workers", 2}};
  ComparisonReport report = CompareResults({old_result}, {new_result}, {});
  EXPECT_EQ(report.pairs.size(), 1u);
  EXPECT_TRUE(report.only_in_base.empty());
  EXPECT_TRUE(report.only_in_new.empty());
}

// Peak memory measured as PSS against an older per-process sum is no comparison.
TEST(Comparison, PeakMemoryMeasuredDifferentlyIsNotComparable) {
  Result base = Timed({1.0, 1.0, 1.0});
  base.peak_rss_samples = {100, 100, 100};
  base.memory_method = "unrecorded";
  Result next = base;
  next.memory_method = "pss";
  CompareOptions options;
  options.metric = Metric::kPeakRss;
  PairComparison pair = CompareResults({base}, {next}, options).pairs[0];
  EXPECT_EQ(pair.verdict, Verdict::kNotComparable);
  EXPECT_NE(pair.why_not_comparable.find("base unrecorded, new pss"), std::string::npos)
      << pair.why_not_comparable;
  options.metric = Metric::kWall;  // the times compare as before
  EXPECT_NE(CompareResults({base}, {next}, options).pairs[0].verdict, Verdict::kNotComparable);
}

// The engine's own settings are named as such, after the workload's parameters.
TEST(Comparison, PairNamesKeepEngineSettingsApart) {
  Result r = Timed({1.0});
  r.workload_parameters = {{"delay", "1ms"}, {"tasks", 2}};
  EXPECT_EQ(PairName(r), "sleep on pool (delay=1ms, tasks=2)");
  r.engine_parameters = {{"workers", 2}};
  EXPECT_EQ(PairName(r), "sleep on pool (delay=1ms, tasks=2) with workers=2");
}

// `rounds` rounds of one side: a wait point on pool and a CPU-bound point on process, scaled.
std::vector<std::vector<Result>> Rounds(std::size_t rounds, double wait_scale, double cpu_scale,
                                        double drift = 0) {
  std::vector<std::vector<Result>> all;
  for (std::size_t i = 0; i < rounds; ++i) {
    double machine = 1 + drift * static_cast<double>(i);  // the machine slows down over time
    double jitter = 1 + 0.003 * static_cast<double>((i * 5) % 3);
    Result wait = Timed({0.02 * wait_scale * machine * jitter});
    Result cpu = Timed({0.5 * machine * jitter}, "process");
    cpu.workload = "primes";
    cpu.user_times = {0.9 * cpu_scale * machine * jitter};
    cpu.system_times = {0.01};
    all.push_back({wait, cpu});
  }
  return all;
}

TEST(PairedComparison, PairsRoundsByPlaceAndJudgesTheRatios) {
  CompareOptions options{.auto_metric = true};
  // Both sides drift by 3% a round together: paired, no change.
  ComparisonReport same = CompareRounds(Rounds(10, 1, 1, 0.03), Rounds(10, 1, 1, 0.03), options);
  ASSERT_EQ(same.pairs.size(), 2u);
  for (const PairComparison& p : same.pairs) {
    EXPECT_TRUE(p.paired);
    EXPECT_EQ(p.verdict, Verdict::kNoChange) << p.name;
  }
  EXPECT_FALSE(same.failed());
  // B waits 20% longer and computes 10% more: both regress, each on its own figure.
  ComparisonReport slower =
      CompareRounds(Rounds(10, 1, 1, 0.03), Rounds(10, 1.2, 1.1, 0.03), options);
  ASSERT_EQ(slower.pairs.size(), 2u);
  EXPECT_EQ(slower.pairs[0].metric, Metric::kWall);
  EXPECT_NEAR(slower.pairs[0].change, 0.2, 0.01);
  EXPECT_EQ(slower.pairs[0].verdict, Verdict::kRegressed);
  EXPECT_EQ(slower.pairs[1].metric, Metric::kCpu);
  EXPECT_NEAR(slower.pairs[1].change, 0.1, 0.01);
  EXPECT_EQ(slower.pairs[1].verdict, Verdict::kRegressed);
  EXPECT_LT(slower.pairs[0].p_value, 0.01);  // ten ratios, all above 1
}

TEST(PairedComparison, AFailedRoundOrAMissingPointIsNeverARatio) {
  std::vector<std::vector<Result>> base = Rounds(10, 1, 1), next = Rounds(10, 0.5, 1);
  next[3][0].verified = false;
  next[3][0].unverified_reason = "2 of 8 tasks failed";
  ComparisonReport report = CompareRounds(base, next, {});
  EXPECT_EQ(report.pairs[0].verdict, Verdict::kNotComparable);
  EXPECT_EQ(report.pairs[0].why_not_comparable,
            "round 4: the new run is not verified: 2 of 8 tasks failed");
  EXPECT_TRUE(report.failed());
  next = Rounds(10, 1, 1);
  next[5].pop_back();  // the process point is missing from round 6
  report = CompareRounds(base, next, {});
  EXPECT_EQ(report.pairs[1].why_not_comparable, "round 6 has no result on the new side");
  next = Rounds(10, 1, 1);
  for (auto& round : next) round[1].engine = "thread";
  report = CompareRounds(base, next, {});
  EXPECT_EQ(report.pairs.size(), 1u);
  EXPECT_EQ(report.only_in_base, std::vector<std::string>{"primes on process"});
  EXPECT_EQ(report.only_in_new, std::vector<std::string>{"primes on thread"});
}

TEST(PairedComparison, ARegressionFailsOnlyWhenTheConfirmationFindsItToo) {
  ComparisonReport first = CompareRounds(Rounds(10, 1, 1), Rounds(10, 1.2, 1), {});
  ASSERT_EQ(first.pairs[0].verdict, Verdict::kRegressed);
  ComparisonReport cleared =
      ConfirmRegressions(first, CompareRounds(Rounds(20, 1, 1), Rounds(20, 1, 1), {}));
  EXPECT_EQ(cleared.pairs[0].verdict, Verdict::kNoChange);
  ASSERT_TRUE(cleared.pairs[0].first_round);
  EXPECT_EQ(cleared.pairs[0].first_round->verdict, Verdict::kRegressed);
  EXPECT_EQ(cleared.pairs[0].first_round->rounds, 10u);
  EXPECT_FALSE(cleared.pairs[1].first_round);  // not suspected, not measured again
  EXPECT_FALSE(cleared.failed());
  ComparisonReport held =
      ConfirmRegressions(first, CompareRounds(Rounds(20, 1, 1), Rounds(20, 1.2, 1), {}));
  EXPECT_EQ(held.pairs[0].verdict, Verdict::kRegressed);
  EXPECT_EQ(held.pairs[0].base_count, 20u);
  EXPECT_TRUE(held.failed());
}

TEST(PairedComparison, ASlowerPairTheFirstRoundCouldNotConfirmIsMeasuredAgain) {
  ComparisonReport first = CompareRounds(Rounds(10, 1, 1), Rounds(10, 1, 1), {});
  first.pairs[0].verdict = Verdict::kWithinNoise;  // 15% slower, beyond a 10% floor
  first.pairs[0].change = 0.15;
  first.pairs[0].floor = 0.10;
  first.pairs[1].verdict = Verdict::kWithinNoise;  // 15% faster: no suspicion
  first.pairs[1].change = -0.15;
  first.pairs[1].floor = 0.10;
  EXPECT_TRUE(Suspected(first.pairs[0]));
  EXPECT_FALSE(Suspected(first.pairs[1]));
  ComparisonReport again = CompareRounds(Rounds(20, 1, 1), Rounds(20, 1.2, 1.2), {});
  ComparisonReport report = ConfirmRegressions(first, again);
  EXPECT_EQ(report.pairs[0].verdict, Verdict::kRegressed);
  ASSERT_TRUE(report.pairs[0].first_round);
  EXPECT_EQ(report.pairs[0].first_round->verdict, Verdict::kWithinNoise);
  EXPECT_EQ(report.pairs[1].verdict, Verdict::kWithinNoise);  // left as the first round said
  EXPECT_FALSE(report.pairs[1].first_round);
}

TEST(BenchmarkNames, ANamedRunKeepsItsNameWhenItsParametersChange) {
  Result a = Timed({0.02});
  a.run = "io";
  a.workload_parameters = {{"delay", "20ms"}, {"tasks", 8}};
  a.given_parameters = std::set<std::string>{"delay", "tasks"};
  Result b = a;
  b.workload_parameters["delay"] = "30ms";
  EXPECT_EQ(BenchmarkName(a), "io/sleep/pool");
  EXPECT_EQ(BenchmarkName(a), BenchmarkName(b));
  a.sweep = {{"tasks", "8"}};
  EXPECT_EQ(BenchmarkName(a), "io/sleep/pool/tasks:8");
  a.run.clear();
  EXPECT_EQ(BenchmarkName(a), "sleep/pool/delay:20ms/tasks:8");
}

TEST(Gbench, WorkloadMetricsAreUserCounters) {
  Result r = Timed({0.02, 0.03});
  r.metrics = {{"items_per_second", 1500.0}, {"note", "text"}, {"name", 3}};
  std::ostringstream out;
  WriteGbench(out, Context{}, {r});
  nlohmann::json document = nlohmann::json::parse(out.str());
  const nlohmann::json& first = document["benchmarks"][0];
  EXPECT_EQ(first["items_per_second"], 1500.0);
  EXPECT_FALSE(first.contains("note"));    // not a number
  EXPECT_EQ(first["name"], "sleep/pool");  // a field of its own is never replaced
}

}  // namespace
}  // namespace concbench
