// One engine and workload measured: repetitions, failures, verification and stop.
#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <stop_token>
#include <vector>

#include "core/measurement.hpp"
#include "engines/registry.hpp"
#include "reports/statistics.hpp"
#include "tests/fake_workload.hpp"

namespace concbench {
namespace {

TEST(Measurement, CountsFailuresAndMarksTheResultUnverified) {
  testing::FakeWorkload workload(5, /*throw_at=*/{1});
  auto engine = FindEngine("sequential")->make(Params());
  MeasureOptions options;
  options.repetitions = 3;
  options.warmup = 1;
  std::optional<Result> result = MeasurePair(workload, *engine, options, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->times.size(), 3u);
  EXPECT_EQ(result->tasks.total, 15u);
  EXPECT_EQ(result->tasks.completed, 12u);
  EXPECT_EQ(result->tasks.failed, 3u);
  EXPECT_FALSE(result->verified);
  ASSERT_FALSE(result->problems.empty());
  EXPECT_EQ(result->problems[0], "task 1 failed: boom 1");
  EXPECT_EQ(workload.runs(0), 4);  // one warmup and three measured runs
  EXPECT_GT(result->peak_rss_bytes, 0);
}

TEST(Measurement, AllCompletedAndCheckedIsVerified) {
  testing::FakeWorkload workload(4);
  auto engine = FindEngine("sequential")->make(Params());
  std::optional<Result> result = MeasurePair(workload, *engine, {}, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->verified);
  EXPECT_EQ(result->tasks.failed, 0u);
  // The wall summary is the measured repetitions' own (five by default).
  ASSERT_EQ(result->times.size(), 5u);
  Summary expected = Summarize(result->times);
  EXPECT_GT(expected.min, 0.0);
  EXPECT_EQ(result->wall.min, expected.min);
  EXPECT_EQ(result->wall.median, expected.median);
  EXPECT_EQ(result->wall.max, expected.max);
  EXPECT_EQ(result->wall.stddev, expected.stddev);
  EXPECT_DOUBLE_EQ(result->efficiency, result->ideal_seconds / expected.median);
  // The CPU summary is of each repetition's user + system seconds.
  ASSERT_EQ(result->user_times.size(), 5u);
  ASSERT_EQ(result->system_times.size(), 5u);
  std::vector<double> cpu;
  for (std::size_t i = 0; i < 5; ++i)
    cpu.push_back(result->user_times[i] + result->system_times[i]);
  EXPECT_EQ(result->cpu.median, Summarize(cpu).median);
  EXPECT_EQ(result->cpu.mean, Summarize(cpu).mean);
}

TEST(Measurement, AStopBeforeTheEndReportsNothing) {
  testing::FakeWorkload workload(4);
  auto engine = FindEngine("sequential")->make(Params());
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(MeasurePair(workload, *engine, {}, stop.get_token()).has_value());
}

}  // namespace
}  // namespace concbench
