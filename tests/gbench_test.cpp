#include "reports/gbench.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// Times in ms. A's CPU per repetition is user + system, {125, 250, 375} ms: mean and median 250,
// stddev 125, cv 0.5. B has no CPU samples: each repetition takes user + system seconds, 125 ms,
// so stddev and cv are 0.
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
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 250.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "iteration", "repetition_index": 0},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 500.0, "cpu_time": 250.0,
       "time_unit": "ms", "run_type": "iteration", "repetition_index": 1},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 750.0, "cpu_time": 375.0,
       "time_unit": "ms", "run_type": "iteration", "repetition_index": 2},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_mean", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 500.0, "cpu_time": 250.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "mean",
       "aggregate_unit": "time"},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_median", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 500.0, "cpu_time": 250.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "median",
       "aggregate_unit": "time"},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_stddev", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 250.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "stddev",
       "aggregate_unit": "time"},
      {"name": "sleep/sequential/delays:4x4211d401/tasks:4_cv", "family_index": 0,
       "per_family_instance_index": 0, "run_name": "sleep/sequential/delays:4x4211d401/tasks:4",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 0.5, "cpu_time": 0.5,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "cv",
       "aggregate_unit": "percentage"},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 125.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "iteration", "repetition_index": 0},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 250.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "iteration", "repetition_index": 1},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 1, "real_time": 375.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "iteration", "repetition_index": 2},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2_mean", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 250.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "mean",
       "aggregate_unit": "time"},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2_median", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 250.0, "cpu_time": 125.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "median",
       "aggregate_unit": "time"},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2_stddev", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 125.0, "cpu_time": 0.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "stddev",
       "aggregate_unit": "time"},
      {"name": "fast/primes/pool/numbers:5,7,11/workers:2_cv", "family_index": 1,
       "per_family_instance_index": 0, "run_name": "fast/primes/pool/numbers:5,7,11/workers:2",
       "repetitions": 3, "threads": 1, "iterations": 3, "real_time": 0.5, "cpu_time": 0.0,
       "time_unit": "ms", "run_type": "aggregate", "aggregate_name": "cv",
       "aggregate_unit": "percentage"}
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
