// The process engine's batches: the sizing rule, the queue, the doorbell, and what batches
// change in a run (short tasks share a worker in long runs; a crash or a stop mid-batch fails or
// cancels only the running task).
#include "engines/process_batch.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "tests/fake_workload.hpp"
#include "tests/workload_helpers.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

using testing::FakeWorkload;
using testing::MakeEngine;
using testing::NoChildrenLeft;
using namespace std::chrono_literals;

TEST(ProcessBatch, SizeIsAboutAMillisecondOfTasksWithinItsBounds) {
  EXPECT_EQ(BatchSize(std::nullopt, 100000, 2), 1u);  // nothing timed yet
  EXPECT_EQ(BatchSize(Duration(10us), 100000, 2), 100u);
  EXPECT_EQ(BatchSize(Duration(100us), 100000, 2), 10u);
  EXPECT_EQ(BatchSize(Duration(400us), 100000, 2), 2u);
  EXPECT_EQ(BatchSize(Duration(2ms), 100000, 2), 1u);       // long tasks go one by one
  EXPECT_EQ(BatchSize(Duration(100ns), 100000, 2), 1024u);  // the cap
  EXPECT_EQ(BatchSize(Duration(0), 100000, 2), 1024u);
  EXPECT_EQ(BatchSize(Duration(100ns), 400, 2), 100u);  // remaining / (2 × workers)
  EXPECT_EQ(BatchSize(Duration(100ns), 400, 4), 50u);
  EXPECT_EQ(BatchSize(Duration(100ns), 3, 2), 1u);  // never below 1
}

TEST(ProcessBatch, TheQueueHandsOutContiguousBlocksAndGivenBackTasksFirst) {
  TaskQueue queue(10);
  EXPECT_EQ(queue.size(), 10u);
  TaskBatch first = queue.Take(4);
  EXPECT_EQ(first.first, 0u);
  EXPECT_EQ(first.count, 4u);
  queue.GiveBack({2, 2});  // tasks 2 and 3 never started
  EXPECT_EQ(queue.size(), 8u);
  TaskBatch again = queue.Take(100);  // one batch never spans two blocks
  EXPECT_EQ(again.first, 2u);
  EXPECT_EQ(again.count, 2u);
  TaskBatch rest = queue.Take(100);
  EXPECT_EQ(rest.first, 4u);
  EXPECT_EQ(rest.count, 6u);
  EXPECT_TRUE(queue.empty());
  queue.GiveBack({7, 0});
  EXPECT_TRUE(queue.empty());
}

TEST(ProcessBatch, AddedTasksMergeWithTheLastBlockWhenContiguous) {
  TaskQueue queue(0);
  EXPECT_TRUE(queue.empty());
  for (std::size_t task : {3u, 4u, 5u, 9u, 10u, 2u}) queue.Add(task);
  EXPECT_EQ(queue.size(), 6u);
  TaskBatch first = queue.Take(100);
  EXPECT_EQ(first.first, 3u);
  EXPECT_EQ(first.count, 3u);
  TaskBatch second = queue.Take(100);
  EXPECT_EQ(second.first, 9u);
  EXPECT_EQ(second.count, 2u);
  queue.Add(11);  // its block was taken: a block of its own
  TaskBatch third = queue.Take(100);
  EXPECT_EQ(third.first, 2u);
  EXPECT_EQ(third.count, 1u);
  EXPECT_EQ(queue.Take(100).first, 11u);
  EXPECT_TRUE(queue.empty());
}

TEST(ProcessBatch, TheDoorbellSaysWhetherRecordsWerePublishedTheBufferIsFullOrTheWorkerIsGone) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  EXPECT_EQ(ReadDoorbell(fds[0]), Doorbell::kNothing);
  ASSERT_EQ(::write(fds[1], "dd", 2), 2);
  EXPECT_EQ(ReadDoorbell(fds[0]), Doorbell::kRang);
  EXPECT_EQ(ReadDoorbell(fds[0]), Doorbell::kNothing);  // both bytes were read
  const char rings[] = {kDoorbell, kBufferFull};
  ASSERT_EQ(::write(fds[1], rings, 2), 2);
  EXPECT_EQ(ReadDoorbell(fds[0]), Doorbell::kFull);
  ::close(fds[1]);
  EXPECT_EQ(ReadDoorbell(fds[0]), Doorbell::kClosed);
  ::close(fds[0]);
}

// How often the worker changes from one task to the next.
std::size_t WorkerChanges(const EngineRun& run) {
  std::size_t changes = 0;
  for (std::size_t i = 1; i < run.records.size(); ++i) {
    changes += run.records[i].worker != run.records[i - 1].worker;
  }
  return changes;
}

TEST(ProcessEngine, ShortTasksGoToAWorkerInBatchesOfConsecutiveTasks) {
  FakeWorkload workload(1000);
  auto engine = MakeEngine("process", {{"workers", "2"}});
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  for (const TaskRecord& record : run.records) EXPECT_EQ(record.status, TaskStatus::kOk);
  // About 30 batches; one task at a time, the two workers would take turns hundreds of times.
  EXPECT_LT(WorkerChanges(run), 100u);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(ProcessEngine, ACrashMidBatchFailsOnlyTheChosenTasksAndTheRestRunElsewhere) {
  FakeWorkload workload(3000);
  auto engine = MakeEngine("process", {{"workers", "2"}, {"crash-rate", "0.005"}, {"seed", "4"}});
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  std::size_t crashed = 0, mid_batch = 0;
  for (std::size_t i = 0; i < run.records.size(); ++i) {
    const TaskRecord& record = run.records[i];
    if (!ChosenBySeed(4, i, 3000, 0.005, SeededChoice::kCrashSalt)) {
      EXPECT_EQ(record.status, TaskStatus::kOk) << i << ": " << record.result;
      EXPECT_EQ(record.result, "task " + std::to_string(i));
      continue;
    }
    ++crashed;
    EXPECT_EQ(record.status, TaskStatus::kFailed) << i;
    EXPECT_NE(record.result.find("killed by SIGKILL"), std::string::npos) << record.result;
    EXPECT_NE(record.result.find("--crash-rate"), std::string::npos) << record.result;
    // Died after the task before it, in the same worker: it began when that task ended (in
    // the same batch) or when its batch was sent.
    if (i > 0 && run.records[i - 1].worker == record.worker) {
      EXPECT_LE(run.records[i - 1].end, record.start) << i;
      mid_batch += record.start == run.records[i - 1].end;
    }
  }
  EXPECT_EQ(crashed, 15u);  // round(0.005 × 3000)
  EXPECT_GT(mid_batch, 0u);
  EXPECT_TRUE(NoChildrenLeft());
}

// Empty tasks, but the 50th task a worker process runs waits 30 s: by then its batches are sized
// from the mean of many empty tasks, so the waiting task is mid-batch even when the machine is
// busy (a slow first task keeps only the first batches at one task).
class ThirdTaskWaits : public Workload {
 public:
  std::string_view name() const override { return "third-task-waits"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return 2000; }
  std::string run_blocking(std::size_t, std::stop_token stop) const override {
    if (++ran_ == 50) SleepBlocking(30s, stop);
    return "ok";
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }

 private:
  mutable std::atomic<int> ran_{0};  // in each worker process, its own count
};

TEST(ProcessEngine, ATimeoutMidBatchCancelsTheRunningTaskAndLeavesTheRestPending) {
  ThirdTaskWaits workload;
  auto engine = MakeEngine("process", {{"workers", "2"}, {"timeout", "1s"}});
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(run.ended_by, EndedBy::kTimeout);
  std::size_t cancelled = 0, pending = 0, mid_batch = 0;
  for (std::size_t i = 0; i < run.records.size(); ++i) {
    const TaskRecord& record = run.records[i];
    if (record.status == TaskStatus::kNotRun) ++pending;
    if (record.status != TaskStatus::kCancelled) continue;
    // The waiting task of each worker, mid-batch: it began when the task before it ended.
    ++cancelled;
    EXPECT_EQ(record.result, "cancelled: worker process killed (timeout)");
    ASSERT_GT(i, 0u);
    EXPECT_EQ(run.records[i - 1].status, TaskStatus::kOk);
    EXPECT_EQ(run.records[i - 1].worker, record.worker) << i;
    EXPECT_LE(run.records[i - 1].end, record.start) << i;
    mid_batch += record.start == run.records[i - 1].end;
  }
  // Only the running tasks are cancelled; the rest of their batches stay pending.
  EXPECT_EQ(cancelled, 2u);
  EXPECT_GT(mid_batch, 0u);
  EXPECT_GT(pending, 1800u);  // 2000 less the 49 run by each worker and the 2 cancelled
  EXPECT_TRUE(NoChildrenLeft());
}

}  // namespace
}  // namespace concbench
