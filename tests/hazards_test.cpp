// The concurrency hazards and run controls on the engines: lost updates, a frozen event loop,
// a bounded queue, deadlines and return-when, failures and crashes by design.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "engines/registry.hpp"
#include "tests/registry_names.hpp"
#include "workloads/faults.hpp"
#include "workloads/registry.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Engine> MakeEngine(const std::string& name,
                                   std::map<std::string, std::string> values) {
  const EngineInfo* info = FindEngine(name);
  EXPECT_NE(info, nullptr) << name;
  Params params;
  for (const ParamSpec& spec : info->params) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (auto& [key, value] : values) params.set(key, value);
  return info->make(params);
}

std::unique_ptr<Workload> MakeWorkload(const std::string& name,
                                       std::map<std::string, std::string> values) {
  const WorkloadInfo* info = FindWorkload(name);
  EXPECT_NE(info, nullptr) << name;
  Params params;
  for (const ParamSpec& spec : info->params) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (auto& [key, value] : values) params.set(key, value);
  return info->make(params);
}

bool NoChildrenLeft() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

// One run as the harness makes it: begin_run, the engine, end_run.
struct Measured {
  EngineRun run;
  nlohmann::json metrics;
  double seconds = 0;
};

Measured Measure(const Workload& workload, Engine& engine) {
  Measured m;
  workload.begin_run();
  auto started = std::chrono::steady_clock::now();
  m.run = engine.run(workload, std::stop_token());
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  m.metrics = workload.end_run(m.run.records);
  return m;
}

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
    bool chosen = ChosenBySeed(42, i, 0.3, 0xfa11);
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
  EXPECT_GT(failed, 0u);
  EXPECT_LT(failed, 40u);
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

INSTANTIATE_TEST_SUITE_P(Engines, Limits,
                         ::testing::ValuesIn(testing::EngineNames()), testing::TestName);

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
            "with --lock mutex the counter final 0: the tasks ran in worker processes, whose "
            "memory the harness does not share (--shared puts the counter in shared memory)");
}

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

TEST(Faults, TheChoiceDependsOnlyOnSeedAndIndexAndMatchesTheRate) {
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < 20000; ++i) {
    bool a = ChosenBySeed(5, i, 0.25, 1);
    EXPECT_EQ(a, ChosenBySeed(5, i, 0.25, 1));
    chosen += a;
  }
  EXPECT_NEAR(static_cast<double>(chosen) / 20000, 0.25, 0.02);
  EXPECT_FALSE(ChosenBySeed(5, 3, 0, 1));
  EXPECT_TRUE(ChosenBySeed(5, 3, 1, 1));
  // Another seed chooses other tasks.
  std::size_t same = 0;
  for (std::size_t i = 0; i < 1000; ++i)
    same += ChosenBySeed(5, i, 0.5, 1) == ChosenBySeed(6, i, 0.5, 1);
  EXPECT_LT(same, 700u);
}

TEST(ProcessEngine, CrashRateKillsTheChosenWorkersAndThePoolCarriesOn) {
  auto workload = MakeWorkload("sleep", {{"tasks", "20"}, {"delay", "1ms"}});
  auto engine = MakeEngine("process", {{"workers", "2"}, {"crash-rate", "0.3"}, {"seed", "9"}});
  Measured m = Measure(*workload, *engine);
  EXPECT_EQ(m.run.error, "");
  std::size_t crashed = 0;
  for (std::size_t i = 0; i < 20; ++i) {
    const TaskRecord& record = m.run.records[i];
    if (ChosenBySeed(9, i, 0.3, 0xc4a54)) {
      ++crashed;
      EXPECT_EQ(record.status, TaskStatus::kFailed) << i;
      EXPECT_NE(record.result.find("killed by SIGKILL"), std::string::npos) << record.result;
      EXPECT_NE(record.result.find("--crash-rate"), std::string::npos) << record.result;
    } else {
      EXPECT_EQ(record.status, TaskStatus::kOk) << i << ": " << record.result;
    }
  }
  EXPECT_GT(crashed, 0u);
  EXPECT_TRUE(NoChildrenLeft());
}

}  // namespace
}  // namespace concbench
