// The engines' run controls: --timeout and --return-when, failures by design.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "concbench/workload.hpp"
#include "engines/engine.hpp"
#include "tests/registry_names.hpp"
#include "tests/workload_helpers.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::MakeEngine;
using testing::MakeWorkload;
using testing::Measure;
using testing::Measured;
using testing::NoChildrenLeft;

bool Unfinished(const TaskRecord& record) {
  return record.status == TaskStatus::kCancelled || record.status == TaskStatus::kNotRun;
}

// Task 0 throws after a short wait; the others wait long (a blocking-form-only workload).
class FailsFirst : public Workload {
 public:
  std::string_view name() const override { return "fails-first"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return 4; }
  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    SleepBlocking(index == 0 ? Duration(50ms) : Duration(20s), stop);
    if (index == 0) throw std::runtime_error("boom");
    return "ok";
  }
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    co_await SleepAsync(index == 0 ? Duration(50ms) : Duration(20s), stop);
    if (index == 0) throw std::runtime_error("boom");
    co_return "ok";
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
};

class Limits : public ::testing::TestWithParam<std::string> {};

TEST_P(Limits, ATimeoutEndsTheRunAtItsDeadlineAndCountsWhatFinished) {
  auto workload = MakeWorkload("sleep", {{"delays", "50ms,50ms,20s,20s,20s"}});
  auto engine = MakeEngine(GetParam(), {{"workers", "2"}, {"timeout", "1s"}});
  Measured m = Measure(*workload, *engine);
  EXPECT_EQ(m.run.ended_by, EndedBy::kTimeout);
  EXPECT_EQ(EndedByName(m.run.ended_by), "timeout");
  EXPECT_GE(m.seconds, 0.95);
  EXPECT_LT(m.seconds, 6.0);  // loose: far below the 20 s tasks
  ASSERT_EQ(m.run.records.size(), 5u);
  EXPECT_EQ(m.run.records[0].status, TaskStatus::kOk);
  EXPECT_EQ(m.run.records[1].status, TaskStatus::kOk);
  for (std::size_t i = 2; i < 5; ++i) EXPECT_TRUE(Unfinished(m.run.records[i])) << i;
  // The engines that start every task at once cancel them; the others drop the queued ones.
  if (GetParam() == "thread" || GetParam() == "asio") {
    for (std::size_t i = 2; i < 5; ++i) {
      EXPECT_EQ(m.run.records[i].status, TaskStatus::kCancelled) << i;
    }
  } else {
    EXPECT_EQ(m.run.records[4].status, TaskStatus::kNotRun);
  }
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(Limits, FirstCompletedEndsTheRunAtTheFirstFinishedTask) {
  auto workload = MakeWorkload("sleep", {{"delays", "50ms,20s,20s"}});
  auto engine = MakeEngine(GetParam(), {{"workers", "2"}, {"return-when", "first-completed"}});
  Measured m = Measure(*workload, *engine);
  EXPECT_EQ(m.run.ended_by, EndedBy::kFirstCompleted);
  EXPECT_EQ(EndedByName(m.run.ended_by), "first-completed");
  EXPECT_LT(m.seconds, 6.0);
  EXPECT_EQ(m.run.records[0].status, TaskStatus::kOk);
  EXPECT_TRUE(Unfinished(m.run.records[1]));
  EXPECT_TRUE(Unfinished(m.run.records[2]));
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(Limits, FirstExceptionEndsTheRunAtTheFirstFailure) {
  FailsFirst workload;
  auto engine = MakeEngine(GetParam(), {{"workers", "2"}, {"return-when", "first-exception"}});
  Measured m = Measure(workload, *engine);
  EXPECT_EQ(m.run.ended_by, EndedBy::kFirstException);
  EXPECT_EQ(EndedByName(m.run.ended_by), "first-exception");
  EXPECT_LT(m.seconds, 6.0);
  EXPECT_EQ(m.run.records[0].status, TaskStatus::kFailed);
  EXPECT_EQ(m.run.records[0].result, "boom");
  for (std::size_t i = 1; i < 4; ++i) EXPECT_TRUE(Unfinished(m.run.records[i])) << i;
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(Limits, WithoutFailuresFirstExceptionRunsEverything) {
  auto workload = MakeWorkload("sleep", {{"delays", "10ms,20ms,30ms"}});
  auto engine = MakeEngine(GetParam(), {{"workers", "2"}, {"return-when", "first-exception"}});
  Measured m = Measure(*workload, *engine);
  EXPECT_EQ(m.run.ended_by, EndedBy::kNone);
  for (const TaskRecord& record : m.run.records) EXPECT_EQ(record.status, TaskStatus::kOk);
}

TEST_P(Limits, TheCallersStopIsNotADeadline) {
  auto workload = MakeWorkload("sleep", {{"tasks", "3"}, {"delay", "20s"}});
  auto engine = MakeEngine(GetParam(), {{"workers", "2"}, {"timeout", "10s"}});
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  EngineRun run = engine->run(*workload, stop.get_token());
  EXPECT_EQ(run.ended_by, EndedBy::kNone);
  for (const TaskRecord& record : run.records) EXPECT_TRUE(Unfinished(record));
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(Limits, FailRateFailsTheSameTasksOnEveryEngineAndRunsTheRest) {
  auto workload = MakeWorkload(
      "sleep", {{"tasks", "40"}, {"delay", "1ms"}, {"fail-rate", "0.3"}, {"seed", "42"}});
  auto engine = MakeEngine(GetParam(), {{"workers", "2"}});
  Measured m = Measure(*workload, *engine);
  std::size_t failed = 0;
  for (std::size_t i = 0; i < 40; ++i) {
    bool chosen = ChosenBySeed(42, i, 40, 0.3, 0xfa11);
    const TaskRecord& record = m.run.records[i];
    if (chosen) {
      ++failed;
      EXPECT_EQ(record.status, TaskStatus::kFailed) << i;
      EXPECT_NE(record.result.find("--fail-rate 0.3 --seed 42"), std::string::npos)
          << record.result;
    } else {
      EXPECT_EQ(record.status, TaskStatus::kOk) << i << ": " << record.result;
      EXPECT_EQ(workload->check(i, record), "");
    }
  }
  EXPECT_EQ(failed, 12u);  // round(0.3 × 40)
}

TEST_P(Limits, CounterWithAMutexKeepsEveryUpdate) {
  std::map<std::string, std::string> values = {{"tasks", "6"}, {"pause", "2ms"}, {"lock", "mutex"}};
  if (GetParam() == "process") values["shared"] = "true";
  auto workload = MakeWorkload("counter", values);
  auto engine = MakeEngine(GetParam(), {{"workers", "3"}});
  Measured m = Measure(*workload, *engine);
  EXPECT_EQ(m.metrics["expected"], 6);
  EXPECT_EQ(m.metrics["final"], 6);
  EXPECT_EQ(m.metrics["lost_updates"], 0);
  EXPECT_EQ(workload->check_run(m.run.records), "");
  EXPECT_TRUE(NoChildrenLeft());
}

INSTANTIATE_TEST_SUITE_P(Engines, Limits, ::testing::ValuesIn(testing::EngineNames()),
                         testing::TestName);

}  // namespace
}  // namespace concbench
