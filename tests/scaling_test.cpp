// The spin workload, METG interpolation, latency percentiles and the trace reporter.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <set>
#include <sstream>
#include <thread>

#include "core/metg.hpp"
#include "engines/engine.hpp"
#include "engines/registry.hpp"
#include "reports/json.hpp"
#include "reports/metg.hpp"
#include "reports/statistics.hpp"
#include "reports/trace.hpp"
#include "workloads/registry.hpp"
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
  for (std::size_t i = 0; i < 5; ++i) {
    TaskRecord record = RunTaskBlocking(*spin, i, std::stop_token());
    ASSERT_EQ(record.status, TaskStatus::kOk);
    EXPECT_EQ(spin->check(i, record), "");
    // Loose: calibration takes the best of several trials; a loaded machine only slows tasks.
    EXPECT_GT(record.cpu_seconds, 0.5e-3);
    EXPECT_LT(record.cpu_seconds, 20e-3);
  }
}

TEST(Spin, CheckRejectsAWrongChainValue) {
  auto spin = MakeSpin("1", "10us");
  TaskRecord record = RunTaskBlocking(*spin, 0, std::stop_token());
  EXPECT_EQ(spin->check(0, record), "");
  record.result = "0000000000000000";
  EXPECT_NE(spin->check(0, record), "");
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
  EXPECT_NEAR(spin->ideal_seconds({}, 4, 2), 0.05, 1e-12);
  EXPECT_NEAR(spin->ideal_seconds({}, 1, 2), 0.1, 1e-12);
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

TEST(Metg, CrossingBetweenPointsIsInterpolatedInLogGrain) {
  std::vector<CurvePoint> curve = {{1e-3, 1.0}, {1e-4, 0.9}, {1e-5, 0.3}, {1e-6, 0.05}};
  Metg metg = ComputeMetg(curve, 0.5);
  ASSERT_EQ(metg.status, MetgStatus::kCrossed);
  // 0.9 -> 0.3 over one decade: 0.5 is two thirds of the way down, at 10^(-4 - 2/3).
  EXPECT_NEAR(metg.grain_seconds, std::pow(10.0, -4.0 - 2.0 / 3.0), 1e-12);
  EXPECT_FALSE(metg.rises_again);
}

TEST(Metg, CrossingExactlyAtAPointIsThatPoint) {
  std::vector<CurvePoint> curve = {{1e-6, 0.1}, {1e-4, 0.5}, {1e-3, 0.8}};  // any order
  Metg metg = ComputeMetg(curve, 0.5);
  ASSERT_EQ(metg.status, MetgStatus::kCrossed);
  EXPECT_NEAR(metg.grain_seconds, 1e-4, 1e-15);
}

TEST(Metg, NeverCrossingIsReportedWithItsBound) {
  std::vector<CurvePoint> low = {{1e-3, 0.4}, {1e-4, 0.2}};
  Metg never = ComputeMetg(low, 0.5);
  EXPECT_EQ(never.status, MetgStatus::kNeverAbove);
  EXPECT_DOUBLE_EQ(never.grain_seconds, 1e-3);
  std::vector<CurvePoint> high = {{1e-3, 1.0}, {1e-4, 0.95}};
  Metg always = ComputeMetg(high, 0.5);
  EXPECT_EQ(always.status, MetgStatus::kAlwaysAbove);
  EXPECT_DOUBLE_EQ(always.grain_seconds, 1e-4);
  EXPECT_EQ(ComputeMetg({}, 0.5).status, MetgStatus::kEmpty);
}

TEST(Metg, NoisyRiseAfterTheFirstDropDoesNotCount) {
  // Falls below 50% between 100us and 10us, then a noisy point at 1us is above again.
  std::vector<CurvePoint> curve = {
      {1e-3, 1.0}, {1e-4, 0.7}, {1e-5, 0.1}, {1e-6, 0.6}, {1e-7, 0.05}};
  Metg metg = ComputeMetg(curve, 0.5);
  ASSERT_EQ(metg.status, MetgStatus::kCrossed);
  // 0.7 -> 0.1: 0.5 is a third of the way, at 10^(-4 - 1/3).
  EXPECT_NEAR(metg.grain_seconds, std::pow(10.0, -4.0 - 1.0 / 3.0), 1e-12);
  EXPECT_TRUE(metg.rises_again);
  // A dip below at the largest grain, before the curve ever reaches the threshold, is skipped.
  std::vector<CurvePoint> dip_first = {{1e-3, 0.45}, {1e-4, 0.9}, {1e-5, 0.3}};
  Metg later = ComputeMetg(dip_first, 0.5);
  ASSERT_EQ(later.status, MetgStatus::kCrossed);
  EXPECT_LT(later.grain_seconds, 1e-4);
  EXPECT_GT(later.grain_seconds, 1e-5);
}

TEST(Metg, GrainsAreGeometricFromMaxDownToMin) {
  auto grains = MetgGrains(10ms, 10us, 3);
  ASSERT_EQ(grains.size(), 10u);
  EXPECT_EQ(grains.front(), 10ms);
  EXPECT_EQ(grains[3], 1ms);
  EXPECT_EQ(grains.back(), 10us);
  EXPECT_EQ(grains[1].count(), 4641589);  // 10ms / 10^(1/3), to the nanosecond
  auto odd = MetgGrains(1ms, 300us, 1);
  EXPECT_EQ(odd, (std::vector<std::chrono::nanoseconds>{1ms, 300us}));
  EXPECT_EQ(MetgGrains(1ms, 1ms, 3).size(), 1u);
}

TEST(Latency, PercentilesOfAKnownSample) {
  std::vector<double> values;
  for (int i = 100; i >= 0; --i) values.push_back(i);  // 0..100, unsorted
  LatencySummary s = SummarizeLatency(values);
  EXPECT_DOUBLE_EQ(s.p50, 50);
  EXPECT_DOUBLE_EQ(s.p90, 90);
  EXPECT_DOUBLE_EQ(s.p99, 99);
  EXPECT_DOUBLE_EQ(s.max, 100);
  LatencySummary two = SummarizeLatency(std::vector<double>{1, 2});
  EXPECT_DOUBLE_EQ(two.p50, 1.5);  // between the closest ranks
  EXPECT_DOUBLE_EQ(two.p90, 1.9);
  EXPECT_DOUBLE_EQ(SummarizeLatency(std::vector<double>{}).max, 0);
}

TEST(Latency, OnlyCompletedTasksCount) {
  Result result;
  result.workload_parameters = result.engine_parameters = nlohmann::json::object();
  result.timeline = {{0, 0.0, 1.0, 1, TaskStatus::kOk},
                     {1, 1.0, 3.0, 1, TaskStatus::kOk},
                     {2, 0.5, 9.0, 2, TaskStatus::kFailed},
                     {3, 0, 0, 0, TaskStatus::kNotRun}};
  FillLatency(result);
  EXPECT_DOUBLE_EQ(result.start_delay.p50, 0.5);
  EXPECT_DOUBLE_EQ(result.start_delay.max, 1.0);
  EXPECT_DOUBLE_EQ(result.completion.p50, 2.0);
  EXPECT_DOUBLE_EQ(result.completion.max, 3.0);
  nlohmann::json json = ResultToJson(result);
  EXPECT_DOUBLE_EQ(json["latency"]["completion"]["max"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(json["latency"]["start_delay"]["p90"].get<double>(), 0.9);
  ASSERT_EQ(json["timeline"].size(), 4u);
  EXPECT_EQ(json["timeline"][1], nlohmann::json({1, 1.0, 3.0, 1, "ok"}));
  EXPECT_EQ(json["timeline"][2][4], "failed");
}

TEST(Latency, LargeTimelinesAreLeftOutOfTheResultsJson) {
  Result result;
  result.workload_parameters = result.engine_parameters = nlohmann::json::object();
  result.timeline.resize(kMaxTimelineTasks + 1);
  EXPECT_TRUE(ResultToJson(result)["timeline"].is_null());
}

TEST(Trace, OneCompleteEventPerStartedTaskWithPidPerResultAndTidPerWorker) {
  Result a;
  a.workload = "sleep";
  a.engine = "pool";
  a.timeline = {{0, 0.0, 0.001, 11, TaskStatus::kOk},
                {1, 0.0005, 0.002, 12, TaskStatus::kOk},
                {2, 0, 0, 0, TaskStatus::kNotRun}};
  Result b = a;
  b.engine = "asio";
  b.timeline = {{0, 0.0, 0.003, 21, TaskStatus::kCancelled}};
  std::ostringstream out;
  WriteTrace(out, {a, b});
  nlohmann::json trace = nlohmann::json::parse(out.str());
  std::vector<nlohmann::json> complete;
  std::set<std::string> process_names;
  for (const nlohmann::json& event : trace["traceEvents"]) {
    if (event["ph"] == "X") complete.push_back(event);
    if (event["ph"] == "M" && event["name"] == "process_name") {
      process_names.insert(event["args"]["name"].get<std::string>());
    }
  }
  ASSERT_EQ(complete.size(), 3u);
  EXPECT_EQ(process_names, (std::set<std::string>{"sleep on pool", "sleep on asio"}));
  EXPECT_EQ(complete[1]["pid"], 1);
  EXPECT_EQ(complete[1]["tid"], 12);
  EXPECT_DOUBLE_EQ(complete[1]["ts"].get<double>(), 500);
  EXPECT_DOUBLE_EQ(complete[1]["dur"].get<double>(), 1500);
  EXPECT_EQ(complete[1]["args"]["task"], 1);
  EXPECT_EQ(complete[2]["pid"], 2);
  EXPECT_EQ(complete[2]["args"]["status"], "cancelled");
}

}  // namespace
}  // namespace concbench
