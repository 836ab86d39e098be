// What a measurement keeps of its tasks between repetitions: at most the last repetition's
// timeline, never per-task data that grows with the repetitions.
#include <gtest/gtest.h>

#include <cstddef>
#include <stop_token>

#include "core/measurement.hpp"
#include "engines/registry.hpp"
#include "results/json.hpp"
#include "results/statistics.hpp"
#include "tests/fake_workload.hpp"

namespace concbench {
namespace {

constexpr std::size_t kManyTasks = kMaxTimelineTasks + 1;

TEST(MeasurementMemory, LargePointsKeepNoSpansButTheirLatencies) {
  testing::FakeWorkload workload(kManyTasks);
  auto engine = FindEngine("sequential")->make(Params());
  Measurement measurement(workload, *engine, 1);
  ASSERT_TRUE(measurement.warmup({}));
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(measurement.repeat({}));
    EXPECT_EQ(measurement.kept_spans(), 0u) << "after repetition " << i + 1;
  }
  ASSERT_TRUE(measurement.finish({}));
  Result result = measurement.result();
  EXPECT_EQ(result.tasks.total, 6 * kManyTasks);
  EXPECT_TRUE(result.timeline.empty());
  // The latencies are the last repetition's, summarised when it ended.
  EXPECT_GT(result.completion.max, 0.0);
  EXPECT_GE(result.completion.max, result.completion.p99);
  EXPECT_GE(result.completion.p50, result.start_delay.p50);
  EXPECT_LE(result.completion.max, result.times.back());
}

TEST(MeasurementMemory, AWholeTimelineIsOneRepetitionsTasks) {
  testing::FakeWorkload workload(kManyTasks);
  auto engine = FindEngine("sequential")->make(Params());
  Measurement measurement(workload, *engine, 1, /*whole_timeline=*/true);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(measurement.repeat({}));
    EXPECT_EQ(measurement.kept_spans(), kManyTasks) << "after repetition " << i + 1;
  }
  Result result = measurement.result();
  ASSERT_EQ(result.timeline.size(), kManyTasks);
  // The summaries made as the repetition ended are those of the timeline kept.
  Result from_timeline = result;
  FillLatency(from_timeline);
  EXPECT_DOUBLE_EQ(result.start_delay.p90, from_timeline.start_delay.p90);
  EXPECT_DOUBLE_EQ(result.completion.p50, from_timeline.completion.p50);
  EXPECT_DOUBLE_EQ(result.completion.max, from_timeline.completion.max);
}

TEST(MeasurementMemory, SmallTimelinesAreKeptForTheResultsFile) {
  testing::FakeWorkload workload(20, /*throw_at=*/{3});
  auto engine = FindEngine("sequential")->make(Params());
  Measurement measurement(workload, *engine, 1);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(measurement.repeat({}));
  Result result = measurement.result();
  ASSERT_EQ(result.timeline.size(), 20u);
  EXPECT_EQ(result.timeline[3].status, TaskStatus::kFailed);
  Result from_timeline = result;
  FillLatency(from_timeline);  // over the 19 completed tasks only
  EXPECT_DOUBLE_EQ(result.start_delay.max, from_timeline.start_delay.max);
  EXPECT_DOUBLE_EQ(result.completion.p99, from_timeline.completion.p99);
}

}  // namespace
}  // namespace concbench
