// The blocking workload: a blocking call stalls an event loop unless offloaded.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "concbench/params.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using testing::MakeEngine;
using testing::MakeWorkload;
using testing::Measure;
using testing::Measured;

TEST(Blocking, ABlockingCallStallsTheLoopUnlessOffloaded) {
  std::map<std::string, std::string> values = {{"tasks", "5"}, {"delay", "200ms"}};
  auto workload = MakeWorkload("blocking", values);
  Measured stalled = Measure(*workload, *MakeEngine("asio", {}));
  // Task 0 blocks the loop for 200 ms before the others start their 200 ms waits.
  EXPECT_GE(stalled.seconds, 0.39);
  EXPECT_EQ(stalled.metrics["blocking_calls"], 1);
  EXPECT_EQ(stalled.metrics["stalled_tasks"], 4);
  Measured offloaded =
      Measure(*workload, *MakeEngine("asio", {{"offload", "true"}, {"workers", "2"}}));
  EXPECT_EQ(offloaded.metrics["stalled_tasks"], 0);
  EXPECT_NE(offloaded.run.records[0].worker, offloaded.run.records[1].worker);
  Measured threads = Measure(*workload, *MakeEngine("thread", {}));
  EXPECT_EQ(threads.metrics["stalled_tasks"], 0);
  for (const TaskRecord& record : stalled.run.records) EXPECT_EQ(record.status, TaskStatus::kOk);
}

TEST(Blocking, BlockingAtChoosesTasksByIndex) {
  auto workload = MakeWorkload("blocking", {{"tasks", "4"}, {"blocking-at", "1,3"}});
  EXPECT_FALSE(workload->blocks_thread(0));
  EXPECT_TRUE(workload->blocks_thread(1));
  EXPECT_FALSE(workload->blocks_thread(2));
  EXPECT_TRUE(workload->blocks_thread(3));
  EXPECT_THROW(MakeWorkload("blocking", {{"tasks", "4"}, {"blocking-at", "4"}}), ParamError);
}

}  // namespace
}  // namespace concbench
