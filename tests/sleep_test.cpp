// The sleep workload: its waits, check, floor and options.
#include <gtest/gtest.h>

#include <chrono>

#include "engines/engine.hpp"
#include "tests/workload_helpers.hpp"
#include "workloads/sleep.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::Defaults;

TEST(Sleep, BlockingFormWaitsAtLeastItsDelay) {
  auto workload = MakeSleepWorkload(Defaults(SleepParams(), {{"delays", "30ms,1ms"}}));
  ASSERT_EQ(workload->task_count(), 2u);
  TaskRecord record = RunTaskBlocking(*workload, 0, std::stop_token());
  EXPECT_EQ(record.status, TaskStatus::kOk);
  EXPECT_GE(record.end - record.start, 30ms);
  EXPECT_LT(record.end - record.start, 5s);  // bounded well above any scheduler delay
  EXPECT_EQ(workload->check(0, record), "");
}

TEST(Sleep, CheckRejectsATaskThatReturnedEarly) {
  auto workload = MakeSleepWorkload(Defaults(SleepParams(), {{"delay", "1s"}}));
  TaskRecord record;
  record.start = TaskRecord::Clock::now();
  record.end = record.start + 999ms;
  EXPECT_NE(workload->check(0, record).find("before its delay of 1s"), std::string::npos);
  record.end = record.start + 1s;
  EXPECT_EQ(workload->check(0, record), "");
}

TEST(Sleep, FloorIsTheLongestDelayOrTheTotalOverLanes) {
  auto workload = MakeSleepWorkload(Defaults(SleepParams(), {{"delays", "3s,2s,4s"}}));
  std::vector<TaskRecord> records(3);
  for (TaskRecord& record : records) record.status = TaskStatus::kOk;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 1, 2), 9.0);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 2, 2), 4.5);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 3, 2), 4.0);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 100, 2), 4.0);  // not bound by cores
  // Only completed tasks waited: a failed, cancelled or dropped task adds nothing.
  records[2].status = TaskStatus::kFailed;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 1, 2), 5.0);
  records[1].status = TaskStatus::kCancelled;
  records[0].status = TaskStatus::kNotRun;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 1, 2), 0.0);
}

TEST(Sleep, DelaysConflictWithTasksAndDelay) {
  EXPECT_THROW(MakeSleepWorkload(Defaults(SleepParams(), {{"delays", "1s"}, {"tasks", "3"}})),
               ParamError);
  EXPECT_EQ(MakeSleepWorkload(Defaults(SleepParams(), {{"tasks", "7"}}))->task_count(), 7u);
}

}  // namespace
}  // namespace concbench
