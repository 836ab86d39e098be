#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "engines/registry.hpp"
#include "tests/fake_workload.hpp"
#include "tests/registry_names.hpp"
#include "tests/workload_helpers.hpp"
#include "util/threads.hpp"
#include "workloads/seeded_choice.hpp"
#include "workloads/sleep.hpp"

namespace concbench {
namespace {

using testing::FakeWorkload;
using testing::MakeEngine;
using testing::MakeWorkload;
using testing::Measure;
using testing::Measured;
using testing::NoChildrenLeft;
using namespace std::chrono_literals;

std::unique_ptr<Engine> Make(const std::string& name,
                             const std::map<std::string, std::string>& values) {
  const EngineInfo* info = FindEngine(name);
  EXPECT_NE(info, nullptr) << name;
  Params params;
  for (const ParamSpec& spec : info->params) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (const auto& [key, value] : values) params.set(key, value);
  return info->make(params);
}

std::unique_ptr<Workload> MakeSleep(const std::map<std::string, std::string>& values) {
  Params params;
  params.set("tasks", "4", false);
  params.set("delay", "10ms", false);
  for (const auto& [key, value] : values) params.set(key, value);
  return MakeSleepWorkload(params);
}

class EveryEngine : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryEngine, RunsEachTaskOnceAndRecordsInOrder) {
  FakeWorkload workload(50);
  auto engine = Make(GetParam(), {{"workers", "3"}});
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  ASSERT_EQ(run.records.size(), 50u);
  EXPECT_TRUE(run.commands.empty()) << "no usage is kept for tasks that start no commands";
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << i;
    EXPECT_EQ(run.records[i].result, "task " + std::to_string(i));
    EXPECT_LE(run.records[i].start, run.records[i].end);
    EXPECT_NE(run.records[i].worker, 0);
    // The process engine runs tasks in its workers' memory, not ours.
    if (GetParam() != "process") {
      EXPECT_EQ(workload.runs(i), 1) << i;
    }
  }
  if (GetParam() == "process") {
    for (const TaskRecord& record : run.records) EXPECT_NE(record.worker, ::getpid());
  }
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(EveryEngine, AThrowingTaskFailsAloneAndTheOthersRun) {
  FakeWorkload workload(12, /*throw_at=*/{3, 7});
  auto engine = Make(GetParam(), {{"workers", "2"}});
  EngineRun run = engine->run(workload, std::stop_token());
  ASSERT_EQ(run.records.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    if (i == 3 || i == 7) {
      EXPECT_EQ(run.records[i].status, TaskStatus::kFailed);
      EXPECT_EQ(run.records[i].result, "boom " + std::to_string(i));
    } else {
      EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << i;
    }
  }
}

TEST_P(EveryEngine, SleepTasksWaitTheirDelayAndPassTheirCheck) {
  auto workload = MakeSleep({{"delays", "20ms,5ms,30ms"}});
  auto engine = Make(GetParam(), {{"workers", "2"}});
  EngineRun run = engine->run(*workload, std::stop_token());
  ASSERT_EQ(run.records.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << run.records[i].result;
    EXPECT_EQ(workload->check(i, run.records[i]), "");
  }
}

TEST_P(EveryEngine, StopEndsARunOfLongWaitsPromptly) {
  auto workload = MakeSleep({{"tasks", "6"}, {"delay", "30s"}});
  auto engine = Make(GetParam(), {{"workers", "2"}});
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine->run(*workload, stop.get_token());
  // Generous on a loaded machine, yet far below the 30 s a task would take.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  for (const TaskRecord& record : run.records) {
    EXPECT_TRUE(record.status == TaskStatus::kCancelled || record.status == TaskStatus::kNotRun);
  }
  EXPECT_TRUE(NoChildrenLeft());
}

INSTANTIATE_TEST_SUITE_P(Engines, EveryEngine, ::testing::ValuesIn(testing::EngineNames()),
                         testing::TestName);

TEST(ProcessEngine, AKilledWorkerFailsOnlyItsTaskAndIsReplaced) {
  FakeWorkload workload(10, /*throw_at=*/{}, /*kill_at=*/{2, 5});
  auto engine = Make("process", {{"workers", "2"}});
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  ASSERT_EQ(run.records.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 2 || i == 5) {
      EXPECT_EQ(run.records[i].status, TaskStatus::kFailed);
      EXPECT_NE(run.records[i].result.find("killed by SIGKILL"), std::string::npos)
          << run.records[i].result;
    } else {
      EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << i << ": " << run.records[i].result;
    }
  }
  EXPECT_GT(run.children.user_seconds + run.children.system_seconds, 0.0);
  EXPECT_GT(run.children.peak_rss_bytes, 0);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(ProcessEngine, CrashRateKillsTheChosenWorkersAndThePoolCarriesOn) {
  auto workload = MakeWorkload("sleep", {{"tasks", "20"}, {"delay", "1ms"}});
  auto engine = MakeEngine("process", {{"workers", "2"}, {"crash-rate", "0.3"}, {"seed", "9"}});
  Measured m = Measure(*workload, *engine);
  EXPECT_EQ(m.run.error, "");
  std::size_t crashed = 0;
  for (std::size_t i = 0; i < 20; ++i) {
    const TaskRecord& record = m.run.records[i];
    if (ChosenBySeed(9, i, 20, 0.3, 0xc4a54)) {
      ++crashed;
      EXPECT_EQ(record.status, TaskStatus::kFailed) << i;
      EXPECT_NE(record.result.find("killed by SIGKILL"), std::string::npos) << record.result;
      EXPECT_NE(record.result.find("--crash-rate"), std::string::npos) << record.result;
    } else {
      EXPECT_EQ(record.status, TaskStatus::kOk) << i << ": " << record.result;
    }
  }
  EXPECT_EQ(crashed, 6u);  // round(0.3 × 20)
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(AsioEngine, WaitsShareOneThreadAndOverlap) {
  auto workload = MakeSleep({{"tasks", "200"}, {"delay", "200ms"}});
  auto engine = Make("asio", {});
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine->run(*workload, std::stop_token());
  // 200 waits of 200 ms one after another would take 40 s.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  for (const TaskRecord& record : run.records) {
    EXPECT_EQ(record.status, TaskStatus::kOk);
    EXPECT_EQ(record.worker, run.records[0].worker);
  }
}

TEST(AsioEngine, CpuWorkRunsOnTheLoopUnlessOffloaded) {
  FakeWorkload workload(8);
  auto inline_engine = Make("asio", {});
  EngineRun inline_run = inline_engine->run(workload, std::stop_token());
  auto offload_engine = Make("asio", {{"offload", "true"}, {"workers", "2"}});
  EngineRun offload_run = offload_engine->run(workload, std::stop_token());
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(inline_run.records[i].worker, inline_run.records[0].worker);
    EXPECT_EQ(offload_run.records[i].status, TaskStatus::kOk);
  }
  EXPECT_EQ(inline_engine->lanes(workload), 1u);
  EXPECT_EQ(offload_engine->lanes(workload), 2u);
}

// Ends the refusal a test asked for, however the test ends.
struct RefuseFrom {
  explicit RefuseFrom(std::size_t nth) { RefuseThreadsForTesting(nth); }
  ~RefuseFrom() { RefuseThreadsForTesting(0); }
};

TEST(PoolEngine, ARefusedThreadStopsTheRunAndNamesTheLimitInsteadOfHanging) {
  auto workload = MakeSleep({{"tasks", "8"}, {"delay", "20s"}});
  auto engine = Make("pool", {{"workers", "4"}});
  auto start = std::chrono::steady_clock::now();
  EngineRun run;
  {
    RefuseFrom third(3);
    run = engine->run(*workload, std::stop_token());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(run.error,
            "--workers 4: the OS refused thread 3 of 4 (Resource temporarily unavailable); see "
            "ulimit -u");
  for (const TaskRecord& record : run.records) EXPECT_NE(record.status, TaskStatus::kOk);
}

TEST(AsioEngine, ARefusedOffloadThreadFailsTheRunBeforeAnyTask) {
  FakeWorkload workload(8);
  auto engine = Make("asio", {{"offload", "true"}, {"workers", "4"}});
  EngineRun run;
  {
    RefuseFrom second(2);
    run = engine->run(workload, std::stop_token());
  }
  EXPECT_EQ(run.error,
            "--offload --workers 4: the OS refused thread 2 of 4 (Resource temporarily "
            "unavailable); see ulimit -u");
  for (const TaskRecord& record : run.records) EXPECT_EQ(record.status, TaskStatus::kNotRun);
  // The next run, with threads to spare, runs every task.
  EngineRun next = engine->run(workload, std::stop_token());
  EXPECT_EQ(next.error, "");
  for (const TaskRecord& record : next.records) EXPECT_EQ(record.status, TaskStatus::kOk);
}

// Sleeps; looking up task 1's command usage runs out of memory, outside the task's body.
class OutOfMemoryAfterTask1 : public Workload {
 public:
  std::string_view name() const override { return "oom"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return 4; }
  std::string run_blocking(std::size_t, std::stop_token stop) const override {
    SleepBlocking(20s, stop);
    return "ok";
  }
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    co_await SleepAsync(index == 1 ? Duration(10ms) : Duration(20s), stop);
    co_return "ok";
  }
  bool starts_commands() const override { return true; }
  ProcessUsage command_usage(std::size_t index) const override {
    if (index == 1) throw std::bad_alloc();
    return {};
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
};

TEST(AsioEngine, AFailureOutsideATaskBodyFailsTheRunAndStopsTheOthers) {
  OutOfMemoryAfterTask1 workload;
  auto start = std::chrono::steady_clock::now();
  EngineRun run = Make("asio", {})->run(workload, std::stop_token());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(run.error, "the asio engine failed: std::bad_alloc");
  for (std::size_t i : {0u, 2u, 3u}) EXPECT_EQ(run.records[i].status, TaskStatus::kCancelled) << i;
}

TEST(ThreadEngine, AFailureOutsideATaskBodyFailsThatTaskNotTheProgram) {
  OutOfMemoryAfterTask1 workload;
  EngineRun run = Make("thread", {{"timeout", "1s"}})->run(workload, std::stop_token());
  EXPECT_EQ(run.records[1].status, TaskStatus::kFailed);
  EXPECT_EQ(run.records[1].result, "std::bad_alloc");
}

TEST(Lanes, FollowEachEnginesParallelism) {
  FakeWorkload cpu(7);
  auto sleep = MakeSleep({{"tasks", "7"}});
  EXPECT_EQ(Make("sequential", {})->lanes(cpu), 1u);
  EXPECT_EQ(Make("thread", {})->lanes(cpu), 7u);
  EXPECT_EQ(Make("pool", {{"workers", "3"}})->lanes(cpu), 3u);
  EXPECT_EQ(Make("process", {{"workers", "3"}})->lanes(cpu), 3u);
  EXPECT_EQ(Make("asio", {})->lanes(*sleep), 7u);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(ThreadEngine, ARefusedThreadEndsTheRunWithAMessageNotATerminate) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Leave room for a few thread stacks only, so the OS refuses the rest.
    rlimit limit{256u << 20, 256u << 20};
    ::setrlimit(RLIMIT_AS, &limit);
    auto workload = MakeSleep({{"tasks", "2000"}, {"delay", "1s"}});
    EngineRun run = Make("thread", {})->run(*workload, std::stop_token());
    bool told = run.error.find("threads were started") != std::string::npos &&
                run.error.find("pool or asio") != std::string::npos;
    std::size_t stopped = 0;
    for (const TaskRecord& record : run.records) stopped += record.status != TaskStatus::kOk;
    ::_exit(told && stopped > 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "the child did not exit normally (status " << status << ")";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}
#endif

}  // namespace
}  // namespace concbench
