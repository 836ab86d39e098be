// Shards (core/shard): K/N read, points dealt longest first, estimates, and the results file
// read back whole (results/results_file), as merge needs it.
#include "core/shard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include "results/json.hpp"
#include "results/results_file.hpp"
#include "tests/sample_result.hpp"

namespace concbench {
namespace {

TEST(Shard, ReadsKOfN) {
  std::string why;
  std::optional<ShardSpec> spec = ParseShard("2/3", &why);
  ASSERT_TRUE(spec) << why;
  EXPECT_EQ(spec->index, 2u);
  EXPECT_EQ(spec->count, 3u);
  EXPECT_TRUE(ParseShard("1/1", &why));
  for (const char* bad :
       {"", "3", "0/3", "4/3", "1/0", "-1/3", "1.5/3", "a/b", "1/3/", " 1/3", "1/99999"}) {
    why.clear();
    EXPECT_FALSE(ParseShard(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  ParseShard("4/3", &why);
  EXPECT_NE(why.find("K must be from 1 to N (3)"), std::string::npos) << why;
}

TEST(Shard, DealsLongestFirstToTheLeastLoaded) {
  // 5 (item 1) and 4 (item 3) open the shards; 3 goes beside 4, 2 beside 5, and 1 to the first
  // of the two equal shards.
  std::vector<std::vector<std::size_t>> shards = AssignShards({1, 5, 2, 4, 3}, 2);
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0], (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(shards[1], (std::vector<std::size_t>{3, 4}));
  // More shards than items: the rest are empty.
  shards = AssignShards({1, 2}, 4);
  EXPECT_EQ(shards[0], (std::vector<std::size_t>{1}));
  EXPECT_EQ(shards[1], (std::vector<std::size_t>{0}));
  EXPECT_TRUE(shards[2].empty() && shards[3].empty());
}

TEST(Shard, SlicesAreDisjointCompleteBalancedAndStable) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> cost(0.1, 10);
  std::vector<double> costs(200);
  for (double& c : costs) c = cost(random);
  for (std::size_t count : {1u, 3u, 7u}) {
    std::vector<std::vector<std::size_t>> shards = AssignShards(costs, count);
    EXPECT_EQ(shards, AssignShards(costs, count));
    std::vector<std::size_t> all;
    std::vector<double> loads;
    for (const auto& shard : shards) {
      EXPECT_TRUE(std::is_sorted(shard.begin(), shard.end()));
      all.insert(all.end(), shard.begin(), shard.end());
      double load = 0;
      for (std::size_t item : shard) load += costs[item];
      loads.push_back(load);
    }
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> expected(costs.size());
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(all, expected);  // each item once
    // LPT: the loads differ by at most the largest item.
    auto [least, most] = std::minmax_element(loads.begin(), loads.end());
    EXPECT_LE(*most - *least, *std::max_element(costs.begin(), costs.end())) << count;
  }
}

// Points of a sleep run per delay, on sequential and thread.
std::vector<Point> SleepPoints(std::vector<RunSpec>& specs) {
  for (const char* delay : {"40ms", "10ms", "20ms", "30ms"}) {
    RunSpec spec;
    spec.name = std::string("wait-") + delay;
    spec.workloads = {"sleep"};
    spec.engines = {"sequential", "thread"};
    spec.values = {{"tasks", "2"}, {"delay", delay}};
    spec.policy.warmup = 1;
    spec.policy.min_runs = 3;
    Expectation claim;
    claim.engine = "thread";
    claim.metric = "median";
    spec.expect.push_back(claim);
    specs.push_back(spec);
  }
  std::string error;
  std::vector<std::string> skipped;
  std::optional<std::vector<Point>> points = MakePoints(specs, &error, &skipped);
  EXPECT_TRUE(points) << error;
  return points ? std::move(*points) : std::vector<Point>{};
}

TEST(Shard, EstimatesFromTheFloorTimesTheRuns) {
  std::vector<RunSpec> specs;
  std::vector<Point> points = SleepPoints(specs);
  ASSERT_EQ(points.size(), 8u);
  // 40ms: two waits one after the other on sequential, at once on thread; 1 warmup + 3 runs.
  EXPECT_NEAR(EstimatedSeconds(points[0], specs[0]), 4 * 0.080, 0.01);
  EXPECT_NEAR(EstimatedSeconds(points[1], specs[0]), 4 * 0.040, 0.01);
  RunSpec limited = specs[0];
  limited.values["timeout"] = "5ms";
  std::string error;
  std::vector<std::string> skipped;
  std::optional<std::vector<Point>> capped = MakePoints({limited}, &error, &skipped);
  ASSERT_TRUE(capped) << error;
  EXPECT_LT(EstimatedSeconds((*capped)[0], limited), 4 * 0.008);
}

// The estimate of pool on `workers` ("" for the default, this machine's cores).
double PoolEstimate(const std::string& workers) {
  RunSpec spec;
  spec.workloads = {"sleep"};
  spec.engines = {"pool"};
  spec.values = {{"tasks", "8"}, {"delay", "10ms"}};
  if (!workers.empty()) spec.values["workers"] = workers;
  std::string error;
  std::vector<std::string> skipped;
  std::optional<std::vector<Point>> points = MakePoints({spec}, &error, &skipped);
  EXPECT_TRUE(points) << error;
  return points ? EstimatedSeconds(points->front(), spec) : 0;
}

TEST(Shard, EstimatesTheSameOnEveryMachine) {
  // Workers left to the machine's cores count as kEstimateCores, as if given.
  EXPECT_DOUBLE_EQ(PoolEstimate(""), PoolEstimate(std::to_string(kEstimateCores)));
  EXPECT_LT(PoolEstimate("8"), PoolEstimate("2"));  // given workers count as given
}

TEST(Shard, KeepsTheEnginesOfOneRunTogetherAndCoversThePlan) {
  std::vector<RunSpec> specs;
  std::vector<Point> points = SleepPoints(specs);
  std::vector<std::size_t> all;
  for (std::size_t k = 1; k <= 3; ++k) {
    Shard shard = TakeShard(points, specs, {k, 3});
    EXPECT_EQ(shard.points, TakeShard(points, specs, {k, 3}).points);
    EXPECT_EQ(shard.all_estimated_seconds.size(), 3u);
    for (std::size_t i = 0; i + 1 < points.size(); i += 2) {  // sequential, then thread
      bool first = std::count(shard.points.begin(), shard.points.end(), i) > 0;
      bool second = std::count(shard.points.begin(), shard.points.end(), i + 1) > 0;
      EXPECT_EQ(first, second) << points[i].label;
    }
    all.insert(all.end(), shard.points.begin(), shard.points.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  // The 40 ms run alone is the longest item: shard 1 has it and nothing else.
  EXPECT_EQ(TakeShard(points, specs, {1, 3}).points, (std::vector<std::size_t>{0, 1}));
}

TEST(Shard, ChecksOnlyTheClaimsOfItsPoints) {
  std::vector<RunSpec> specs;
  std::vector<Point> points = SleepPoints(specs);
  std::vector<Point> some;
  some.push_back(std::move(points[2]));  // wait-10ms on sequential: no claim of its own
  some.push_back(std::move(points[5]));  // wait-20ms on thread
  std::vector<RunSpec> claims = ClaimsOfPoints(specs, some);
  ASSERT_EQ(claims.size(), specs.size());
  EXPECT_TRUE(claims[0].expect.empty());
  EXPECT_TRUE(claims[1].expect.empty());
  EXPECT_EQ(claims[2].expect.size(), 1u);
  EXPECT_TRUE(claims[3].expect.empty());
}

TEST(Shard, PointIdsAgreeBetweenPointsAndResults) {
  std::vector<RunSpec> specs;
  std::vector<Point> points = SleepPoints(specs);
  Result result = testing::SampleResult("thread", 0.04);
  result.run = "wait-40ms";
  EXPECT_EQ(ResultPointId(result), PointId(specs[0].name, points[1].label));
  result.sweep = {{"tasks", "2"}};
  EXPECT_EQ(ResultPointId(result), "wait-40ms: sleep on thread (tasks=2)");
  EXPECT_EQ(PlanHash("", 1, specs, points), PlanHash("", 1, specs, points));
  EXPECT_NE(PlanHash("", 1, specs, points), PlanHash("", 0.5, specs, points));
}

TEST(ResultsFile, ReadsBackWhatWasWritten) {
  Result result = testing::SampleResult("thread", 0.04);
  result.run = "wait";
  result.given_parameters = {{"tasks"}};
  result.sweep = {{"tasks", "2"}};
  result.exit_codes = {0, 0};
  result.user_times = {0.001, 0.002};
  result.system_times = {0.001, 0.001};
  result.peak_rss_samples = {1 << 20, 2 << 20};
  result.speedup = 1.5;
  result.relative = Relative{"sequential", 1.5, 0.1};
  result.problems = {"note: something"};
  result.metrics = {{"final", 2}};
  result.timeline = {{0, 0.0, 0.04, 12, TaskStatus::kOk},
                     {1, 0.0, 0.01, 13, TaskStatus::kCancelled}};
  result.start_delay = {0.001, 0.002, 0.003, 0.004};
  result.context.emplace();
  result.context->host = "runner-2";
  result.context->compiler = "gcc 12.2.0";
  Context context;
  context.host = "runner-1";
  context.version = "1.0";
  std::ostringstream out;
  WriteJson(out, context, {result});
  nlohmann::json document = nlohmann::json::parse(out.str());
  std::string error;
  std::optional<std::vector<Result>> back = WholeResultsFromJson(document, &error);
  ASSERT_TRUE(back) << error;
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ(ResultToJson(back->front()), ResultToJson(result));
  EXPECT_EQ(back->front().context->host, "runner-2");
  EXPECT_EQ(ContextFromJson(document["context"]).host, "runner-1");
  EXPECT_NEAR(back->front().cpu.median, 0.0025, 1e-9);
}

}  // namespace
}  // namespace concbench
