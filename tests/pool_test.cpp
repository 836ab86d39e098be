// The pool engine's chunked claiming: every task once whatever the chunk boundaries, chunks that
// grow for tiny tasks and stay single for long ones, and a stop seen between the tasks of a chunk.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engines/pool.hpp"
#include "tests/fake_workload.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::FakeWorkload;
using testing::MakeEngine;

TEST(PoolChunks, GrowForTinyTasksShrinkForLongOnesAndFollowTheTasksLeft) {
  EXPECT_EQ(NextChunk(1, 1us, 1000000, 2), 2u);
  EXPECT_EQ(NextChunk(512, 50us, 1000000, 2), 1024u);
  EXPECT_EQ(NextChunk(512, 150us, 1000000, 2), 512u);  // near the target: kept
  EXPECT_EQ(NextChunk(512, 1ms, 1000000, 2), 256u);
  EXPECT_EQ(NextChunk(1, 1s, 1000000, 2), 1u);  // long tasks go one at a time
  // Guided: never more than the tasks left over twice the workers, never below one.
  EXPECT_EQ(NextChunk(4096, 1us, 1000, 4), 125u);
  EXPECT_EQ(NextChunk(4096, 1us, 3, 4), 1u);
  EXPECT_EQ(NextChunk(4096, 1us, 0, 0), 1u);
}

TEST(PoolChunks, EveryTaskRunsOnceAroundChunkBoundariesOnManyWorkers) {
  for (std::size_t tasks : {0u, 1u, 2u, 3u, 7u, 63u, 64u, 65u, 1023u, 1024u, 1025u, 20000u}) {
    for (const char* workers : {"1", "2", "3", "16"}) {
      FakeWorkload workload(tasks);
      auto engine = MakeEngine("pool", {{"workers", workers}});
      EngineRun run = engine->run(workload, std::stop_token());
      ASSERT_EQ(run.error, "");
      ASSERT_EQ(run.records.size(), tasks);
      for (std::size_t i = 0; i < tasks; ++i) {
        ASSERT_EQ(workload.runs(i), 1) << tasks << " tasks, " << workers << " workers, task " << i;
        ASSERT_EQ(run.records[i].status, TaskStatus::kOk) << i;
        ASSERT_EQ(run.records[i].result, "task " + std::to_string(i));
      }
      // The finished count, reported once per chunk, adds up.
      EXPECT_EQ(engine->tasks_finished(), tasks) << tasks << " tasks, " << workers << " workers";
    }
  }
}

TEST(PoolChunks, TinyTasksAreClaimedInRunsOfConsecutiveTasks) {
  FakeWorkload workload(20000);
  auto engine = MakeEngine("pool", {{"workers", "2"}});
  EngineRun run = engine->run(workload, std::stop_token());
  ASSERT_EQ(run.error, "");
  // Each change of worker from one task to the next starts a new claim: one task per claim
  // would make thousands of them when both workers run.
  std::size_t changes = 0;
  for (std::size_t i = 1; i < run.records.size(); ++i) {
    if (run.records[i].worker != run.records[i - 1].worker) ++changes;
  }
  EXPECT_LT(changes, 200u);
}

// Tasks 0..999 return at once (the chunks grow), the rest sleep 50 ms each, deaf to a stop.
class TinyThenLong : public Workload {
 public:
  std::string_view name() const override { return "tiny-then-long"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return 4000; }
  std::string run_blocking(std::size_t index, std::stop_token) const override {
    if (index >= 1000) std::this_thread::sleep_for(50ms);
    return "ok";
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
};

TEST(PoolChunks, AStopDuringAChunkOfLongTasksEndsTheRunWithinATaskAndProgressKeepsUp) {
  TinyThenLong workload;
  auto engine = MakeEngine("pool", {{"workers", "1"}});
  std::stop_source stop;
  std::size_t finished_by_then = 0;
  std::jthread stopper([&stop, &engine, &finished_by_then] {
    std::this_thread::sleep_for(500ms);
    finished_by_then = engine->tasks_finished();
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine->run(workload, stop.get_token());
  // The rest of the chunk under way (hundreds of 50 ms tasks: over 10 s) is never started.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  stopper.join();
  // Progress does not wait for the chunk's end: the long tasks done by then are counted.
  EXPECT_GT(finished_by_then, 1000u);
  std::size_t long_ok = 0;
  for (std::size_t i = 1000; i < run.records.size(); ++i) {
    if (run.records[i].status == TaskStatus::kOk) ++long_ok;
  }
  EXPECT_LT(long_ok, 60u);
  EXPECT_EQ(run.records.back().status, TaskStatus::kNotRun);
}

}  // namespace
}  // namespace concbench
