// The counter workload: lost updates with and without a lock, on threads, a loop and processes.
#include <gtest/gtest.h>

#include <string>

#include "engines/mpi.hpp"
#include "engines/registry.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using testing::MakeEngine;
using testing::MakeWorkload;
using testing::Measure;
using testing::Measured;
using testing::NoChildrenLeft;

TEST(Counter, ThreadsWithoutALockLoseUpdates) {
  auto workload = MakeWorkload("counter", {{"tasks", "8"}, {"pause", "20ms"}});
  Measured m = Measure(*workload, *MakeEngine("thread", {}));
  EXPECT_EQ(m.metrics["expected"], 8);
  EXPECT_GT(m.metrics["lost_updates"].get<long>(), 0);
  EXPECT_LT(m.metrics["final"].get<long>(), 8);
  // The lesson passes its check: lost updates without a lock are expected.
  EXPECT_EQ(workload->check_run(m.run.records), "");
}

TEST(Counter, OneLoopThreadLosesNothingWithoutALock) {
  auto workload = MakeWorkload("counter", {{"tasks", "8"}, {"pause", "20ms"}});
  Measured m = Measure(*workload, *MakeEngine("asio", {}));
  EXPECT_EQ(m.metrics["final"], 8);
  EXPECT_EQ(m.metrics["lost_updates"], 0);
}

// mpi's ranks are not forked from the harness: neither a copy nor a --shared mapping of the
// counter reaches them, so the run would report a race that never happened.
TEST(Counter, IsRefusedOnMpiWhoseRanksShareNoMemoryWithTheHarness) {
  if (FindEngine("mpi") == nullptr) GTEST_SKIP() << MpiAbsence();
  for (const char* shared : {"false", "true"}) {
    auto workload = MakeWorkload("counter", {{"tasks", "4"}, {"shared", shared}});
    EXPECT_EQ(CannotRun(*workload, *MakeEngine("mpi", {})),
              "its tasks share the counter with the harness through memory a forked worker "
              "inherits, and mpi's tasks run in processes of their own")
        << shared;
    EXPECT_EQ(CannotRun(*workload, *MakeEngine("process", {{"workers", "2"}})), "") << shared;
    EXPECT_EQ(CannotRun(*workload, *MakeEngine("thread", {})), "") << shared;
  }
}

TEST(Counter, ProcessesShareNoMemoryWithoutShared) {
  auto workload = MakeWorkload("counter", {{"tasks", "4"}, {"pause", "1ms"}});
  Measured m = Measure(*workload, *MakeEngine("process", {{"workers", "2"}}));
  EXPECT_EQ(m.metrics["expected"], 4);
  EXPECT_EQ(m.metrics["final"], 0);
  EXPECT_NE(m.metrics["outcome"].get<std::string>().find("worker processes"), std::string::npos);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(Counter, ProcessesSharingMemoryLoseUpdatesWithoutALock) {
  auto workload = MakeWorkload("counter", {{"tasks", "8"}, {"pause", "20ms"}, {"shared", "true"}});
  Measured m = Measure(*workload, *MakeEngine("process", {{"workers", "4"}}));
  EXPECT_GT(m.metrics["final"].get<long>(), 0);
  EXPECT_GT(m.metrics["lost_updates"].get<long>(), 0);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(Counter, LostUpdatesUnderAMutexFailTheCheck) {
  // An unshared counter under a mutex on processes: the harness's counter stays 0.
  auto workload = MakeWorkload("counter", {{"tasks", "3"}, {"pause", "1ms"}, {"lock", "mutex"}});
  Measured m = Measure(*workload, *MakeEngine("process", {{"workers", "2"}}));
  EXPECT_EQ(m.metrics["final"], 0);
  EXPECT_EQ(workload->check_run(m.run.records),
            "with --lock mutex the counter stayed at 0 in the harness: the tasks ran in worker "
            "processes, whose "
            "memory the harness does not share (--shared puts the counter in shared memory)");
}

}  // namespace
}  // namespace concbench
