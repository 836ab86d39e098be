#include <gtest/gtest.h>

#include <sstream>

#include "core/names.hpp"
#include "core/measurement.hpp"
#include "engines/registry.hpp"
#include "reports/json.hpp"
#include "reports/statistics.hpp"
#include "reports/table.hpp"
#include "util/format.hpp"
#include "tests/fake_workload.hpp"

namespace concbench {
namespace {

Result SampleResult(std::string engine, double median) {
  Result r;
  r.workload = "sleep";
  r.engine = std::move(engine);
  r.workload_parameters = {{"tasks", 2}, {"delays", {"2s", "3s"}}};
  r.engine_parameters = {{"workers", 2}};
  r.times = {median, median};
  r.wall = Summarize(r.times);
  r.user_seconds = 0.001;
  r.system_seconds = 0.002;
  r.peak_rss_bytes = 4 << 20;
  r.voluntary_switches = 3;
  r.involuntary_switches = 1;
  r.tasks = {4, 4, 0, 0};
  r.ideal_seconds = 3;
  r.efficiency = 3 / median;
  r.verified = true;
  return r;
}

TEST(Statistics, SummarizeKnownSample) {
  std::vector<double> values = {2, 4, 4, 4, 5, 5, 7, 9};
  Summary s = Summarize(values);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_NEAR(s.stddev, 2.138089935, 1e-9);  // sample (n - 1) standard deviation
  EXPECT_DOUBLE_EQ(s.min, 2);
  EXPECT_DOUBLE_EQ(s.max, 9);
  EXPECT_DOUBLE_EQ(Median(std::vector<double>{3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Summarize(std::vector<double>{1.5}).stddev, 0);
  EXPECT_DOUBLE_EQ(Summarize(std::vector<double>{}).median, 0);
}

TEST(Statistics, SpeedupIsAgainstSequentialOnTheSameWorkload) {
  std::vector<Result> results = {SampleResult("sequential", 5), SampleResult("thread", 2.5)};
  Result other = SampleResult("pool", 1);
  other.workload_parameters = {{"tasks", 9}};
  results.push_back(other);
  FillSpeedups(results, "sequential");
  EXPECT_DOUBLE_EQ(*results[0].speedup, 1.0);
  EXPECT_DOUBLE_EQ(*results[1].speedup, 2.0);
  EXPECT_FALSE(results[2].speedup.has_value());
}

TEST(Json, EveryDocumentedFieldIsWritten) {
  Context context;
  context.date = "2026-01-02T03:04:05Z";
  context.logical_cpus = 2;
  context.command_line = "concbench run";
  std::vector<Result> results = {SampleResult("sequential", 5), SampleResult("thread", 3)};
  FillSpeedups(results, "sequential");
  std::ostringstream out;
  WriteJson(out, context, results);
  nlohmann::json doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["schema"], "concbench/1");
  for (const char* key : {"date", "host", "os", "kernel", "cpu_model", "logical_cpus", "compiler",
                          "build_type", "concbench_version", "git_commit", "command_line"}) {
    EXPECT_TRUE(doc["context"].contains(key)) << key;
  }
  EXPECT_TRUE(doc["context"]["git_commit"].is_null());
  ASSERT_EQ(doc["results"].size(), 2u);
  const nlohmann::json& r = doc["results"][1];
  EXPECT_EQ(r["workload"], "sleep");
  EXPECT_EQ(r["engine"], "thread");
  EXPECT_EQ(r["parameters"]["tasks"], 2);
  EXPECT_EQ(r["parameters"]["workers"], 2);
  EXPECT_EQ(r["times"], nlohmann::json({3.0, 3.0}));
  for (const char* key : {"mean", "median", "stddev", "min", "max", "user", "system", "ideal",
                          "efficiency", "speedup"}) {
    EXPECT_TRUE(r[key].is_number()) << key;
  }
  EXPECT_DOUBLE_EQ(r["median"], 3.0);
  EXPECT_DOUBLE_EQ(r["speedup"], 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(r["efficiency"], 1.0);
  EXPECT_EQ(r["peak_rss_bytes"], 4 << 20);
  EXPECT_EQ(r["context_switches"]["voluntary"], 3);
  EXPECT_EQ(r["context_switches"]["involuntary"], 1);
  EXPECT_EQ(r["tasks"]["total"], 4);
  EXPECT_EQ(r["tasks"]["completed"], 4);
  EXPECT_EQ(r["tasks"]["failed"], 0);
  EXPECT_EQ(r["tasks"]["cancelled"], 0);
  EXPECT_EQ(r["tasks"]["pending"], 0);
  EXPECT_TRUE(r["metrics"].is_object());
  EXPECT_EQ(r["verified"], true);
  EXPECT_TRUE(r["problems"].is_array());
}

TEST(Json, SpeedupIsNullWithoutASequentialRun) {
  std::ostringstream out;
  WriteJson(out, Context{}, {SampleResult("pool", 1)});
  EXPECT_TRUE(nlohmann::json::parse(out.str())["results"][0]["speedup"].is_null());
}

TEST(Table, GoldenOutput) {
  std::vector<Result> results = {SampleResult("sequential", 5.0), SampleResult("thread", 3.0)};
  results[1].verified = false;
  results[1].problems = {"task 1 failed: boom"};
  FillRelative(results, "", "sequential");
  std::ostringstream out;
  WriteTable(out, results, {.color = false});
  EXPECT_EQ(out.str(),
            "workload  engine      median ± stddev        min … max             relative  "
            "efficiency     user      sys  peak RSS  tasks ok/failed  verified\n"
            "sleep     sequential  5.00 s ± 0.00 s  5.00 s … 5.00 s            reference  "
            "     60.0%  1.00 ms  2.00 ms  4.00 MiB              4/0       yes\n"
            "sleep     thread      3.00 s ± 0.00 s  3.00 s … 3.00 s  1.67 ± 0.00× faster  "
            "    100.0%  1.00 ms  2.00 ms  4.00 MiB              4/0        NO\n"
            "sleep on thread: task 1 failed: boom\n");
}

TEST(Table, FormatsUnits) {
  EXPECT_EQ(FormatSeconds(1.23456), "1.23 s");
  EXPECT_EQ(FormatSeconds(0.0123), "12.3 ms");
  EXPECT_EQ(FormatSeconds(0.000123), "123 µs");
  EXPECT_EQ(FormatSeconds(2e-8), "20.0 ns");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1536), "1.50 KiB");
  EXPECT_EQ(FormatBytes(5.0 * 1024 * 1024), "5.00 MiB");
}

TEST(Names, SuggestsTheClosestName) {
  std::vector<std::string> engines = {"sequential", "thread", "pool", "process", "asio"};
  EXPECT_EQ(UnknownNameMessage("engine", "trhead", engines),
            "unknown engine 'trhead' (did you mean 'thread'?); valid: sequential, thread, pool, "
            "process, asio");
  EXPECT_EQ(UnknownNameMessage("engine", "gpu", engines),
            "unknown engine 'gpu'; valid: sequential, thread, pool, process, asio");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(Runner, CountsFailuresAndMarksTheResultUnverified) {
  testing::FakeWorkload workload(5, /*throw_at=*/{1});
  auto engine = FindEngine("sequential")->make(Params());
  MeasureOptions options;
  options.repetitions = 3;
  options.warmup = 1;
  std::optional<Result> result = MeasurePair(workload, *engine, options, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->times.size(), 3u);
  EXPECT_EQ(result->tasks.total, 15u);
  EXPECT_EQ(result->tasks.completed, 12u);
  EXPECT_EQ(result->tasks.failed, 3u);
  EXPECT_FALSE(result->verified);
  ASSERT_FALSE(result->problems.empty());
  EXPECT_EQ(result->problems[0], "task 1 failed: boom 1");
  EXPECT_EQ(workload.runs(0), 4);  // one warmup and three measured runs
  EXPECT_GT(result->peak_rss_bytes, 0);
}

TEST(Runner, AllCompletedAndCheckedIsVerified) {
  testing::FakeWorkload workload(4);
  auto engine = FindEngine("sequential")->make(Params());
  std::optional<Result> result = MeasurePair(workload, *engine, {}, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->verified);
  EXPECT_EQ(result->tasks.failed, 0u);
  // The wall summary is the measured repetitions' own (five by default).
  ASSERT_EQ(result->times.size(), 5u);
  Summary expected = Summarize(result->times);
  EXPECT_GT(expected.min, 0.0);
  EXPECT_EQ(result->wall.min, expected.min);
  EXPECT_EQ(result->wall.median, expected.median);
  EXPECT_EQ(result->wall.max, expected.max);
  EXPECT_EQ(result->wall.stddev, expected.stddev);
  EXPECT_DOUBLE_EQ(result->efficiency, result->ideal_seconds / expected.median);
  // The CPU summary is of each repetition's user + system seconds.
  ASSERT_EQ(result->user_times.size(), 5u);
  ASSERT_EQ(result->system_times.size(), 5u);
  std::vector<double> cpu;
  for (std::size_t i = 0; i < 5; ++i) cpu.push_back(result->user_times[i] + result->system_times[i]);
  EXPECT_EQ(result->cpu.median, Summarize(cpu).median);
  EXPECT_EQ(result->cpu.mean, Summarize(cpu).mean);
}

TEST(Runner, AStopBeforeTheEndReportsNothing) {
  testing::FakeWorkload workload(4);
  auto engine = FindEngine("sequential")->make(Params());
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(MeasurePair(workload, *engine, {}, stop.get_token()).has_value());
}

}  // namespace
}  // namespace concbench
