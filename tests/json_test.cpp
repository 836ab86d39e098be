#include "results/json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "results/statistics.hpp"
#include "tests/golden_results.hpp"
#include "tests/sample_result.hpp"

namespace concbench {
namespace {

using testing::SampleResult;

// Timeline times are rounded to the microsecond; B's task 3 never ran (start and end 0).
TEST(Json, GoldenOutput) {
  std::ostringstream out;
  WriteJson(out, testing::GoldenContext(), testing::GoldenResults(), {{"suite", "ci"}});
  EXPECT_EQ(out.str(), testing::Indented(R"json({
    "schema": "concbench/1",
    "context": {"date": "2026-01-02T03:04:05Z", "host": "bench-host",
      "os": "Debian GNU/Linux 12 (bookworm)", "kernel": "Linux 6.1.0 x86_64",
      "cpu_model": "Example CPU @ 2.00GHz", "logical_cpus": 2, "compiler": "gcc 12.2.0",
      "build_type": "Release", "concbench_version": "0.4.0", "git_commit": "1bbe909",
      "command_line": "concbench run --export-json out.json"},
    "results": [
      {"command": "sleep on sequential (delays=[4 values], tasks=4)",
       "workload": "sleep", "engine": "sequential", "parameters": {},
       "settings": {"delays": ["10ms", "20ms", "30ms", "40ms"], "tasks": 4},
       "engine_settings": {},
       "run": null, "sweep": {}, "times": [0.25, 0.5, 0.75], "exit_codes": [0, 0, 0],
       "mean": 0.5, "median": 0.5, "stddev": 0.25, "min": 0.25, "max": 0.75, "mad": 0.25,
       "p5": 0.275, "p25": 0.375, "p75": 0.625, "p95": 0.725, "cv": 0.5,
       "median_ci": [0.25, 0.75], "outliers": 0,
       "user_times": [0.0625, 0.125, 0.1875], "system_times": [0.0625, 0.125, 0.1875],
       "peak_rss_samples": [4194304, 3145728, 4194304],
       "user": 0.125, "system": 0.125, "peak_rss_bytes": 4194304,
       "peak_rss_sum_bytes": 4194304, "memory_method": "rss",
       "context_switches": {"voluntary": 3.5, "involuntary": 0.5},
       "commands": {"user": 0.0, "system": 0.0, "peak_rss_bytes": 0, "processes": 0.0},
       "tasks": {"total": 12, "completed": 12, "failed": 0, "cancelled": 0, "pending": 0},
       "ideal": 0.3, "efficiency": 0.6, "efficiency_note": null, "speedup": 1.0,
       "relative": {"reference": "sequential", "ratio": 1.0, "uncertainty": 0.0},
       "verified": true, "unverified_reason": null, "problems": [], "warnings": ["a warning"],
       "metrics": {},
       "latency": {
         "start_delay": {"p50": 0.020125, "p90": 0.051125, "p99": 0.059225, "max": 0.060125},
         "completion": {"p50": 0.045125, "p90": 0.088125, "p99": 0.098925, "max": 0.100125}},
       "timeline": [[0, 0.000125, 0.010125, 101, "ok"], [1, 0.010125, 0.030125, 101, "ok"],
                    [2, 0.030125, 0.060125, 101, "ok"], [3, 0.060125, 0.100125, 101, "ok"]]},
      {"command": "fast: primes on pool (numbers=5,7,11)",
       "workload": "primes", "engine": "pool", "parameters": {},
       "settings": {"numbers": [5, 7, 11], "workers": 2}, "engine_settings": {"workers": 2},
       "run": "fast", "sweep": {}, "times": [0.125, 0.25, 0.375], "exit_codes": [0, 1, 1],
       "mean": 0.25, "median": 0.25, "stddev": 0.125, "min": 0.125, "max": 0.375, "mad": 0.125,
       "p5": 0.1375, "p25": 0.1875, "p75": 0.3125, "p95": 0.3625, "cv": 0.5,
       "median_ci": [0.125, 0.375], "outliers": 0,
       "user_times": [], "system_times": [], "peak_rss_samples": [],
       "user": 0.0625, "system": 0.0625, "peak_rss_bytes": 1536,
       "peak_rss_sum_bytes": 1536, "memory_method": "rss",
       "context_switches": {"voluntary": 0.0, "involuntary": 2.0},
       "commands": {"user": 0.5, "system": 0.25, "peak_rss_bytes": 2097152, "processes": 3.0},
       "tasks": {"total": 9, "completed": 6, "failed": 1, "cancelled": 1, "pending": 1},
       "ideal": 0.2, "efficiency": 0.8, "efficiency_note": null, "speedup": null,
       "relative": {"reference": "thread", "ratio": 0.4, "uncertainty": 0.04},
       "verified": false, "unverified_reason": "task 1 failed: boom",
       "problems": ["task 1 failed: boom"], "warnings": [],
       "metrics": {"checked": 3, "method": "trial division"},
       "latency": {
         "start_delay": {"p50": 0.0005, "p90": 0.0005, "p99": 0.0005, "max": 0.0005},
         "completion": {"p50": 0.0015, "p90": 0.0015, "p99": 0.0015, "max": 0.0015}},
       "timeline": [[0, 0.0005, 0.0015, 7, "ok"], [1, 0.0005, 0.002, 8, "failed"],
                    [2, 0.0015, 0.0025, 7, "cancelled"], [3, 0.0, 0.0, 0, "not_run"]]}
    ],
    "suite": "ci"})json"));
}

TEST(Json, ReadsBackTheIdentityAndSamplesItWrote) {
  std::ostringstream out;
  WriteJson(out, testing::GoldenContext(), testing::GoldenResults());
  std::string error;
  auto results = ResultsFromJson(nlohmann::json::parse(out.str()), &error);
  ASSERT_TRUE(results) << error;
  ASSERT_EQ(results->size(), 2u);
  const Result& a = (*results)[0];
  EXPECT_EQ(a.run, "");
  EXPECT_EQ(a.workload, "sleep");
  EXPECT_EQ(a.engine, "sequential");
  EXPECT_EQ(a.workload_parameters,
            nlohmann::json({{"tasks", 4}, {"delays", {"10ms", "20ms", "30ms", "40ms"}}}));
  EXPECT_EQ(a.times, (std::vector<double>{0.25, 0.5, 0.75}));
  EXPECT_EQ(a.user_times, (std::vector<double>{0.0625, 0.125, 0.1875}));
  EXPECT_EQ(a.peak_rss_samples, (std::vector<long>{4194304, 3145728, 4194304}));
  const Result& b = (*results)[1];
  EXPECT_EQ(b.run, "fast");
  // "engine_settings" keeps the engine's own apart, as they were measured.
  EXPECT_EQ(b.workload_parameters, nlohmann::json({{"numbers", {5, 7, 11}}}));
  EXPECT_EQ(b.engine_parameters, nlohmann::json({{"workers", 2}}));
  EXPECT_EQ(b.times, (std::vector<double>{0.125, 0.25, 0.375}));
}

// An older file has every parameter under "parameters" and no "settings"; compare reads both.
// A point stopped before its first run has no times: read back when it is not verified.
TEST(Json, EmptyTimesAreReadOnlyInAResultThatIsNotVerified) {
  nlohmann::json document = {{"schema", kJsonSchema},
                             {"results",
                              {{{"workload", "exec"},
                                {"engine", "pool"},
                                {"settings", nlohmann::json::object()},
                                {"times", nlohmann::json::array()},
                                {"verified", false},
                                {"unverified_reason", "--setup 'x': exited with status 7"}}}}};
  std::string error;
  auto results = ResultsFromJson(document, &error);
  ASSERT_TRUE(results) << error;
  EXPECT_TRUE((*results)[0].times.empty());
  document["results"][0]["verified"] = true;
  EXPECT_FALSE(ResultsFromJson(document, &error));
  EXPECT_EQ(error, "results[0].times: empty in a verified result");
}

TEST(Json, ReadsTheParametersOfAFileWithoutSettings) {
  nlohmann::json document = {{"schema", kJsonSchema},
                             {"results",
                              {{{"workload", "sleep"},
                                {"engine", "pool"},
                                {"parameters", {{"tasks", 4}, {"workers", 2}}},
                                {"times", {0.5, 0.25}}}}}};
  std::string error;
  auto results = ResultsFromJson(document, &error);
  ASSERT_TRUE(results) << error;
  EXPECT_EQ((*results)[0].workload_parameters, nlohmann::json({{"tasks", 4}, {"workers", 2}}));
  // A newer one: "settings" holds them, "parameters" only the swept values.
  document["results"][0]["settings"] = {{"tasks", 8}, {"workers", 2}};
  document["results"][0]["parameters"] = {{"tasks", "8"}};
  results = ResultsFromJson(document, &error);
  ASSERT_TRUE(results) << error;
  EXPECT_EQ((*results)[0].workload_parameters, nlohmann::json({{"tasks", 8}, {"workers", 2}}));
  document["results"][0]["engine_settings"] = "workers=2";
  EXPECT_FALSE(ResultsFromJson(document, &error));
  EXPECT_EQ(error, "results[0].engine_settings: not an object");
  document["results"][0].erase("engine_settings");
  document["results"][0]["settings"] = "tasks=8";
  EXPECT_FALSE(ResultsFromJson(document, &error));
  EXPECT_EQ(error, "results[0].settings: missing or not an object");
}

// hyperfine's "parameters": strings; a duration in seconds and a size in bytes, so that
// plot_parametrized.py's float() reads them; "sweep" keeps the text as given.
TEST(Json, ParametersAreTheSweptValuesAsHyperfineWritesThem) {
  Result result = SampleResult("asio", 1);
  result.sweep = {{"delay", "10ms"}, {"tasks", "16"}, {"size", "4KiB"}, {"mode", "spin"}};
  result.given_parameters = {{"delay", "tasks", "size", "mode"}};
  nlohmann::json r = ResultToJson(result);
  EXPECT_EQ(
      r["parameters"],
      nlohmann::json({{"delay", "0.01"}, {"tasks", "16"}, {"size", "4096"}, {"mode", "spin"}}));
  EXPECT_EQ(r["sweep"]["delay"], "10ms");
  EXPECT_EQ(r["command"], "sleep on asio (tasks=2)");
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
  EXPECT_EQ(r["settings"]["tasks"], 2);
  EXPECT_EQ(r["settings"]["workers"], 2);
  EXPECT_TRUE(r["parameters"].is_object());
  EXPECT_TRUE(r["command"].is_string());
  EXPECT_TRUE(r["exit_codes"].is_array());
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

TEST(Json, AnUndefinedEfficiencyIsNullWithItsReason) {
  Result r = testing::GoldenPrimesResult();
  r.efficiency.reset();
  r.efficiency_note = "no task completed";
  nlohmann::json json = ResultToJson(r);
  EXPECT_TRUE(json["efficiency"].is_null());
  EXPECT_EQ(json["efficiency_note"], "no task completed");
  EXPECT_EQ(json["verified"], false);
  EXPECT_EQ(json["unverified_reason"], "task 1 failed: boom");
}

TEST(Json, SpeedupIsNullWithoutASequentialRun) {
  std::ostringstream out;
  WriteJson(out, Context{}, {SampleResult("pool", 1)});
  EXPECT_TRUE(nlohmann::json::parse(out.str())["results"][0]["speedup"].is_null());
}

}  // namespace
}  // namespace concbench
