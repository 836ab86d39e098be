// One engine and workload measured: repetitions, failures, verification and stop.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/measurement.hpp"
#include "engines/registry.hpp"
#include "results/statistics.hpp"
#include "tests/fake_workload.hpp"
#include "tests/workload_helpers.hpp"

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
  EXPECT_EQ(result->problems[0], "task 1 failed in 3 of 3 repetitions: boom 1");
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
  // The fake workload has no floor: its efficiency cannot be defined.
  EXPECT_FALSE(result->efficiency.has_value());
  EXPECT_EQ(result->efficiency_note, "fake has no floor to compare with");
  // The CPU summary is of each repetition's user + system seconds.
  ASSERT_EQ(result->user_times.size(), 5u);
  ASSERT_EQ(result->system_times.size(), 5u);
  std::vector<double> cpu;
  for (std::size_t i = 0; i < 5; ++i)
    cpu.push_back(result->user_times[i] + result->system_times[i]);
  EXPECT_EQ(result->cpu.median, Summarize(cpu).median);
  EXPECT_EQ(result->cpu.mean, Summarize(cpu).mean);
}

// Runs every task and fails them all, then reports an error of its own (as the thread engine
// does when the OS refuses a thread).
class RefusingEngine : public Engine {
 public:
  std::string_view name() const override { return "refusing"; }
  unsigned lanes(const Workload&) const override { return 1; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl&) override {
    EngineRun run;
    for (std::size_t i = 0; i < workload.task_count(); ++i) {
      TaskRecord record;
      record.status = TaskStatus::kFailed;
      record.result = "stopped";
      run.records.push_back(record);
    }
    run.error = "the OS refused thread 3 (Resource temporarily unavailable)";
    return run;
  }
  nlohmann::json own_parameters() const override { return nlohmann::json::object(); }
};

TEST(Measurement, TheEnginesOwnErrorComesFirstAndIsNeverDropped) {
  testing::FakeWorkload workload(20);
  RefusingEngine engine;
  MeasureOptions options;
  options.repetitions = 3;
  options.warmup = 0;
  std::optional<Result> result = MeasurePair(workload, engine, options, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->verified);
  ASSERT_FALSE(result->problems.empty());
  EXPECT_EQ(result->problems[0], "the OS refused thread 3 (Resource temporarily unavailable)");
  // Said once, though every repetition reported it; the 60 failures are cut to the first few tasks.
  EXPECT_EQ(std::count(result->problems.begin(), result->problems.end(), result->problems[0]), 1);
  // 20 tasks failed in each of 3 repetitions: 5 shown, 15 more, 45 times.
  EXPECT_EQ(result->problems.back(), "... and 15 more problems (45 times in all)");
  EXPECT_EQ(result->unverified_reason, result->problems[0]);
}

TEST(Measurement, NoTaskCompletedBeforeTheDeadlineIsUnverified) {
  auto workload = testing::MakeWorkload("sleep", {{"tasks", "3"}, {"delay", "10s"}});
  auto engine = testing::MakeEngine("thread", {{"timeout", "1ms"}});
  MeasureOptions options;
  options.repetitions = 2;
  options.warmup = 0;
  std::optional<Result> result = MeasurePair(*workload, *engine, options, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->tasks.completed, 0u);
  EXPECT_FALSE(result->verified);
  const std::string reason =
      "no task completed before the deadline (--timeout 1ms): nothing was measured";
  EXPECT_EQ(result->unverified_reason, reason);
  ASSERT_FALSE(result->problems.empty());
  EXPECT_EQ(result->problems[0], reason);
  EXPECT_TRUE(OnlyNothingCompleted(*result));
  EXPECT_FALSE(result->efficiency.has_value());
  EXPECT_EQ(result->efficiency_note, "no task completed");
}

TEST(Measurement, EfficiencyCountsOnlyTheCompletedTasksWork) {
  // Every task fails at once: before, the floor still counted their delays (efficiency 10000%).
  auto all_fail =
      testing::MakeWorkload("sleep", {{"tasks", "4"}, {"delay", "50ms"}, {"fail-rate", "1"}});
  auto sequential = testing::MakeEngine("sequential", {});
  MeasureOptions options;
  options.repetitions = 2;
  options.warmup = 0;
  std::optional<Result> failed = MeasurePair(*all_fail, *sequential, options, {});
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->ideal_seconds, 0.0);
  EXPECT_FALSE(failed->efficiency.has_value());
  // Half fail: the floor is the completed tasks' delays, and efficiency stays at most 100%.
  auto half = testing::MakeWorkload(
      "sleep", {{"tasks", "6"}, {"delay", "30ms"}, {"fail-rate", "0.5"}, {"seed", "3"}});
  std::optional<Result> result = MeasurePair(*half, *sequential, options, {});
  ASSERT_TRUE(result);
  ASSERT_GT(result->tasks.completed, 0u);
  ASSERT_GT(result->tasks.failed, 0u);
  double completed_per_run = static_cast<double>(result->tasks.completed) / 2;
  EXPECT_NEAR(result->ideal_seconds, completed_per_run * 0.03, 1e-9);
  ASSERT_TRUE(result->efficiency.has_value());
  EXPECT_LE(*result->efficiency, 1.0);
  EXPECT_GT(*result->efficiency, 0.5);
}

// Claims a floor of 10 s for tasks that take microseconds: a floor that is wrong.
class OverstatedFloor : public testing::FakeWorkload {
 public:
  OverstatedFloor() : FakeWorkload(2) {}
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override {
    return 10;
  }
};

TEST(Measurement, EfficiencyIsCappedAtOneAndAWrongFloorIsNamed) {
  OverstatedFloor workload;
  auto engine = FindEngine("sequential")->make(Params());
  std::optional<Result> result = MeasurePair(workload, *engine, {}, std::stop_token());
  ASSERT_TRUE(result);
  ASSERT_TRUE(result->efficiency.has_value());
  EXPECT_EQ(*result->efficiency, 1.0);
  ASSERT_FALSE(result->warnings.empty());
  EXPECT_NE(result->warnings.back().find("fake's floor overestimates this run"), std::string::npos)
      << result->warnings.back();
}

TEST(Measurement, AStopBeforeTheEndReportsNothing) {
  testing::FakeWorkload workload(4);
  auto engine = FindEngine("sequential")->make(Params());
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(MeasurePair(workload, *engine, {}, stop.get_token()).has_value());
}

// Records its point steps, as letters (S, P, C, U), and fails the step `fail` the `fail_at`th
// time it comes.
class StepsWorkload : public testing::FakeWorkload {
 public:
  StepsWorkload(PointStep fail, int fail_at) : FakeWorkload(2), fail_(fail), fail_at_(fail_at) {}
  std::string at_point_step(PointStep step, std::stop_token) const override {
    steps_ += "SPCU"[static_cast<int>(step)];
    if (step == fail_ && ++seen_ == fail_at_) return "--step: failed";
    return "";
  }
  mutable std::string steps_;

 private:
  PointStep fail_;
  int fail_at_;
  mutable int seen_ = 0;
};

std::optional<Result> MeasureSteps(StepsWorkload& workload) {
  auto engine = FindEngine("sequential")->make(Params());
  MeasureOptions options;
  options.repetitions = 2;
  options.warmup = 1;
  return MeasurePair(workload, *engine, options, std::stop_token());
}

TEST(Measurement, PointStepsSurroundEveryRunOnce) {
  StepsWorkload workload(PointStep::kSetup, 0);
  std::optional<Result> result = MeasureSteps(workload);
  ASSERT_TRUE(result);
  EXPECT_EQ(workload.steps_, "SPCPCPCU");
  EXPECT_TRUE(result->verified);
  EXPECT_EQ(workload.runs(0), 3);
}

TEST(Measurement, AFailingStepStopsThePointAndCleansUpAfterASetup) {
  StepsWorkload prepare(PointStep::kPrepare, 3);  // before the second measured run
  std::optional<Result> result = MeasureSteps(prepare);
  ASSERT_TRUE(result);
  EXPECT_EQ(prepare.steps_, "SPCPCPU");
  EXPECT_EQ(result->times.size(), 1u);
  EXPECT_FALSE(result->verified);
  EXPECT_EQ(result->unverified_reason, "--step: failed");
  ASSERT_FALSE(result->problems.empty());
  EXPECT_EQ(result->problems[0], "--step: failed");

  StepsWorkload setup(PointStep::kSetup, 1);  // nothing to clean up, nothing run
  result = MeasureSteps(setup);
  ASSERT_TRUE(result);
  EXPECT_EQ(setup.steps_, "S");
  EXPECT_EQ(setup.runs(0), 0);
  EXPECT_TRUE(result->times.empty());
  EXPECT_EQ(result->unverified_reason, "--step: failed");

  StepsWorkload conclude(PointStep::kConclude, 2);  // after the first measured run: it counts
  result = MeasureSteps(conclude);
  ASSERT_TRUE(result);
  EXPECT_EQ(conclude.steps_, "SPCPCU");
  EXPECT_EQ(result->times.size(), 1u);
  EXPECT_EQ(result->exit_codes, std::vector<int>{1});
}

}  // namespace
}  // namespace concbench
