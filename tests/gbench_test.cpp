#include "reports/gbench.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// Times in ns. A's CPU per repetition is user + system, {125, 250, 375} ms: mean and median 250,
// stddev 125, cv 0.5. B is not verified: its repetitions are errors with its reason, and it has
// no aggregates; it has no CPU samples, so each repetition takes user + system seconds, 125 ms;
// its name leaves out workers, which holds its default. B is a named run ("fast"): its name is
// the run's, without its parameters; its numeric metric ("checked") is a user counter.
TEST(Gbench, GoldenOutput) {
  std::ostringstream out;
  WriteGbench(out, testing::GoldenContext(), testing::GoldenResults());
  EXPECT_EQ(out.str(), testing::Indented(R"({
    "context": {"date": "2026-01-02T03:04:05Z", "host_name": "bench-host",
      "executable": "concbench", "num_cpus": 2, "mhz_per_cpu": 0, "cpu_scaling_enabled": false,
      "caches": [], "load_avg": [], "library_build_type": "release",
      "concbench_version": "0.4.0", "command_line": "concbench run --export-json out.json"},
    "benchmarks": [
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 250000000.0, "cpu_time": 125000000.0,
       "time_unit": "ns", "run_type": "iteration", "repetition_index": 0},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 500000000.0, "cpu_time": 250000000.0,
       "time_unit": "ns", "run_type": "iteration", "repetition_index": 1},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 750000000.0, "cpu_time": 375000000.0,
       "time_unit": "ns", "run_type": "iteration", "repetition_index": 2},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_mean", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 500000000.0, "cpu_time": 250000000.0,
       "time_unit": "ns", "run_type": "aggregate", "aggregate_name": "mean",
       "aggregate_unit": "time"},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_median", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 500000000.0, "cpu_time": 250000000.0,
       "time_unit": "ns", "run_type": "aggregate", "aggregate_name": "median",
       "aggregate_unit": "time"},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_stddev", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 250000000.0, "cpu_time": 125000000.0,
       "time_unit": "ns", "run_type": "aggregate", "aggregate_name": "stddev",
       "aggregate_unit": "time"},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_cv", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 0.5, "cpu_time": 0.5,
       "time_unit": "ns", "run_type": "aggregate", "aggregate_name": "cv",
       "aggregate_unit": "percentage"},
      {"name": "fast/primes/pool", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 125000000.0, "cpu_time": 125000000.0,
       "time_unit": "ns", "run_type": "iteration",
       "error_occurred": true, "error_message": "task 1 failed: boom", "checked": 3,
       "repetition_index": 0},
      {"name": "fast/primes/pool", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 250000000.0, "cpu_time": 125000000.0,
       "time_unit": "ns", "run_type": "iteration",
       "error_occurred": true, "error_message": "task 1 failed: boom", "checked": 3,
       "repetition_index": 1},
      {"name": "fast/primes/pool", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 375000000.0, "cpu_time": 125000000.0,
       "time_unit": "ns", "run_type": "iteration",
       "error_occurred": true, "error_message": "task 1 failed: boom", "checked": 3,
       "repetition_index": 2}
    ]})"));
}

TEST(Gbench, ADebugBuildIsNamedDebug) {
  Context context = testing::GoldenContext();
  context.build_type = "Debug";
  std::ostringstream out;
  WriteGbench(out, context, {});
  EXPECT_EQ(nlohmann::json::parse(out.str())["context"]["library_build_type"], "debug");
}

}  // namespace
}  // namespace concbench
