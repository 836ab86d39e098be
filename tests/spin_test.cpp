// The spin workload: calibrated CPU work, its check, stop handling and floor.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "concbench/workload_registry.hpp"
#include "engines/engine.hpp"
#include "engines/registry.hpp"
#include "workloads/spin.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Workload> MakeSpin(std::string tasks, std::string grain) {
  Params params;
  params.set("tasks", std::move(tasks));
  params.set("grain", std::move(grain));
  return MakeSpinWorkload(params);
}

TEST(Spin, JumpAheadAgreesWithTheChain) {
  std::stop_token never;
  for (std::uint64_t steps : {0ull, 1ull, 2ull, 4095ull, 4096ull, 4097ull, 100000ull}) {
    EXPECT_EQ(SpinChain(7, steps, never), SpinChainJump(7, steps)) << steps;
  }
}

TEST(Spin, ATwoMillisecondGrainTakesAboutTwoMillisecondsOfCpu) {
  auto spin = MakeSpin("5", "2ms");
  Params params;
  params.set("task-cpu", "true");
  std::unique_ptr<Engine> engine = FindEngine("sequential")->make(params);
  EngineRun run = engine->run(*spin, std::stop_token());
  ASSERT_EQ(run.records.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    const TaskRecord& record = run.records[i];
    ASSERT_EQ(record.status, TaskStatus::kOk);
    EXPECT_EQ(spin->check(i, record), "");
    ASSERT_TRUE(record.cpu_seconds) << "--task-cpu records each task's CPU time";
    // Loose: calibration takes the best of several trials; a loaded machine only slows tasks.
    EXPECT_GT(*record.cpu_seconds, 0.5e-3);
    EXPECT_LT(*record.cpu_seconds, 20e-3);
  }
  EXPECT_EQ(engine->parameters()["task_cpu"], true);
  EXPECT_TRUE(spin->end_run(run.records).contains("calibration_error"));
}

TEST(Spin, WithoutTaskCpuARecordHasTimesAndWorkerButNoCpu) {
  auto spin = MakeSpin("2", "100us");
  EXPECT_FALSE(spin->wants_task_cpu());  // its floor is its nominal grain
  EngineRun run = FindEngine("sequential")->make(Params())->run(*spin, std::stop_token());
  ASSERT_EQ(run.records.size(), 2u);
  for (const TaskRecord& record : run.records) {
    ASSERT_EQ(record.status, TaskStatus::kOk);
    EXPECT_FALSE(record.cpu_seconds);
    EXPECT_GT(record.end, record.start);
    EXPECT_GT(record.start.time_since_epoch().count(), 0);
    EXPECT_EQ(record.worker, static_cast<long>(::gettid()));
  }
  EXPECT_FALSE(spin->end_run(run.records).contains("calibration_error"));
}

TEST(Spin, GrainZeroMakesEmptyTasksThatPass) {
  auto spin = MakeSpin("3", "0");
  EXPECT_EQ(spin->parameters()["grain"], "0s");
  EngineRun run = FindEngine("sequential")->make(Params())->run(*spin, std::stop_token());
  ASSERT_EQ(run.records.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(run.records[i].status, TaskStatus::kOk);
    EXPECT_EQ(run.records[i].result, "");
    EXPECT_EQ(spin->check(i, run.records[i]), "");
  }
  EXPECT_EQ(spin->ideal_seconds(run.records, 1, 2), 0.0);
  run.records[0].result = "x";
  EXPECT_NE(spin->check(0, run.records[0]), "");
}

TEST(Spin, CheckRejectsAWrongChainValue) {
  auto spin = MakeSpin("1", "10us");
  TaskRecord record = RunTaskBlocking(*spin, 0, std::stop_token());
  EXPECT_EQ(spin->check(0, record), "");
  record.result = "0000000000000000";
  EXPECT_NE(spin->check(0, record), "");
}

// A copy made in another process (an mpi rank) calibrates its own steps for the grain: the result
// says how many it ran, and the check verifies that chain, not the harness's.
TEST(Spin, TheCheckVerifiesTheChainOfTheStepsTheTaskSaysItRan) {
  auto spin = MakeSpin("3", "10us");
  TaskRecord record = RunTaskBlocking(*spin, 2, std::stop_token());
  EXPECT_NE(record.result.find(" after "), std::string::npos) << record.result;
  EXPECT_TRUE(record.result.ends_with(" steps")) << record.result;
  record.result = fmt::format("{:016x} after 12345 steps", SpinChainJump(2, 12345));
  EXPECT_EQ(spin->check(2, record), "");
  record.result = fmt::format("{:016x} after 12346 steps", SpinChainJump(2, 12345));
  EXPECT_NE(spin->check(2, record), "");
  record.result = fmt::format("{:016x} after 0 steps", SpinChainJump(2, 12345));
  EXPECT_NE(spin->check(2, record), "");
}

TEST(Spin, StopInterruptsALongTask) {
  auto spin = MakeSpin("1", "60s");
  std::stop_source stop;
  stop.request_stop();
  TaskRecord record = RunTaskBlocking(*spin, 0, stop.get_token());
  EXPECT_EQ(record.status, TaskStatus::kNotRun);
  std::stop_source later;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(50ms);
    later.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(spin->run_blocking(0, later.get_token()), TaskCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(Spin, FloorIsTasksTimesGrainOverMinOfLanesAndCores) {
  auto spin = MakeSpin("100", "1ms");
  EXPECT_EQ(spin->kind(), TaskKind::kCompute);
  std::vector<TaskRecord> records(100);
  for (TaskRecord& record : records) record.status = TaskStatus::kOk;
  EXPECT_NEAR(spin->ideal_seconds(records, 4, 2), 0.05, 1e-12);
  EXPECT_NEAR(spin->ideal_seconds(records, 1, 2), 0.1, 1e-12);
  for (std::size_t i = 0; i < 50; ++i) records[i].status = TaskStatus::kFailed;
  EXPECT_NEAR(spin->ideal_seconds(records, 1, 2), 0.05, 1e-12);  // the completed half
  EXPECT_EQ(spin->parameters()["grain"], "1ms");
}

TEST(Spin, EndRunReportsCalibrationError) {
  auto spin = MakeSpin("2", "1ms");
  std::vector<TaskRecord> records(2);
  records[0].status = records[1].status = TaskStatus::kOk;
  records[0].cpu_seconds = 1.1e-3;
  records[1].cpu_seconds = 1.1e-3;
  nlohmann::json metrics = spin->end_run(records);
  EXPECT_NEAR(metrics["calibration_error"].get<double>(), 0.1, 1e-9);
  EXPECT_GT(metrics["iterations_per_task"].get<std::uint64_t>(), 0u);
}

TEST(Spin, IsInTheRegistry) {
  ASSERT_NE(FindWorkload("spin"), nullptr);
  Params params;
  params.set("tasks", "0");
  EXPECT_THROW(FindWorkload("spin")->make(params), ParamError);
}

}  // namespace
}  // namespace concbench
