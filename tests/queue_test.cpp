// The queue workload: a bounded queue between producers and consumers, and where it can run.
#include <gtest/gtest.h>

#include <string>

#include "engines/engine.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using testing::MakeEngine;
using testing::MakeWorkload;
using testing::Measure;
using testing::Measured;

TEST(Queue, EveryItemIsConsumedExactlyOnceWhereItFits) {
  auto workload = MakeWorkload(
      "queue", {{"producers", "3"}, {"consumers", "2"}, {"items", "3000"}, {"capacity", "4"}});
  for (const char* name : {"thread", "asio", "pool"}) {
    auto engine = MakeEngine(name, {{"workers", "5"}});
    ASSERT_EQ(CannotRun(*workload, *engine), "") << name;
    Measured m = Measure(*workload, *engine);
    EXPECT_EQ(m.metrics["items_consumed"], 3000) << name;
    EXPECT_GT(m.metrics["items_per_second"].get<double>(), 0.0);
    // Every item waits in the queue a while, and none longer than the run.
    double p50 = m.metrics["latency_p50_s"], p99 = m.metrics["latency_p99_s"];
    EXPECT_GT(p50, 0.0) << name;
    EXPECT_GE(p99, p50) << name;
    EXPECT_LT(p99, m.seconds) << name;
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(m.run.records[i].status, TaskStatus::kOk) << name << " " << i;
    }
    EXPECT_EQ(workload->check_run(m.run.records), "") << name;
  }
}

TEST(Queue, RefusesEnginesThatCannotRunIt) {
  auto workload = MakeWorkload("queue", {{"items", "100"}, {"capacity", "4"}});
  EXPECT_EQ(CannotRun(*workload, *MakeEngine("process", {{"workers", "8"}})),
            "its tasks would run in worker processes, which share no queue");
  EXPECT_EQ(CannotRun(*workload, *MakeEngine("sequential", {})),
            "its 2 producers and 2 consumers must all run at once (a full queue of 4 blocks "
            "producers until consumers take), but sequential runs 1 at a time; use an engine "
            "with enough lanes (thread, asio, pool --workers 4) or --capacity 102 or more");
  EXPECT_NE(CannotRun(*workload, *MakeEngine("pool", {{"workers", "2"}})).find("pool runs 2"),
            std::string::npos);
  EXPECT_EQ(CannotRun(*workload, *MakeEngine("pool", {{"workers", "4"}})), "");
  // A queue that never fills runs even one task at a time, producers first.
  auto roomy = MakeWorkload("queue", {{"items", "100"}, {"capacity", "102"}});
  EXPECT_EQ(CannotRun(*roomy, *MakeEngine("sequential", {})), "");
  Measured m = Measure(*roomy, *MakeEngine("sequential", {}));
  EXPECT_EQ(m.metrics["items_consumed"], 100);
}

TEST(Queue, ATimeoutCancelsBlockedConsumers) {
  // A million items through a queue of one: the deadline comes first and must stop the
  // producer and the consumers wherever they wait.
  auto workload = MakeWorkload(
      "queue", {{"producers", "1"}, {"consumers", "2"}, {"items", "1000000"}, {"capacity", "1"}});
  for (const char* name : {"thread", "asio"}) {
    auto engine = MakeEngine(name, {{"timeout", "200ms"}});
    Measured m = Measure(*workload, *engine);
    EXPECT_EQ(m.run.ended_by, EndedBy::kTimeout) << name;
    EXPECT_LT(m.seconds, 5.0);
    // Whatever was consumed was consumed once.
    EXPECT_EQ(workload->check_run(m.run.records), "") << name;
  }
}

}  // namespace
}  // namespace concbench
