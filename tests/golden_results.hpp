// Two results and a context with hand-picked numbers, for the writers' golden-output tests.
// Wall and CPU times are exact in binary, so every writer prints them without rounding noise.
//
// A: sleep on sequential, no run name, a long list parameter (named by its hash), the reference,
//    verified, which parameters were given unknown (all are named), CPU per repetition from
//    user_times + system_times = {0.125, 0.25, 0.375} s.
// B: run "fast", primes on pool, a short list parameter (a comma inside a CSV field) given and
//    workers by default (left out of names), slower than its reference, not verified, no CPU
//    samples (the writers fall back to user/system seconds).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace concbench::testing {

inline Context GoldenContext() {
  Context context;
  context.date = "2026-01-02T03:04:05Z";
  context.host = "bench-host";
  context.os = "Debian GNU/Linux 12 (bookworm)";
  context.kernel = "Linux 6.1.0 x86_64";
  context.cpu_model = "Example CPU @ 2.00GHz";
  context.logical_cpus = 2;
  context.compiler = "gcc 12.2.0";
  context.build_type = "Release";
  context.version = "0.4.0";
  context.git_commit = "1bbe909";
  context.command_line = "concbench run --export-json out.json";
  return context;
}

inline Result GoldenSleepResult() {
  Result r;
  r.workload = "sleep";
  r.engine = "sequential";
  r.workload_parameters = {{"tasks", 4}, {"delays", {"10ms", "20ms", "30ms", "40ms"}}};
  r.engine_parameters = nlohmann::json::object();
  r.times = {0.25, 0.5, 0.75};
  r.exit_codes = {0, 0, 0};
  r.wall = {.mean = 0.5,
            .median = 0.5,
            .stddev = 0.25,
            .min = 0.25,
            .max = 0.75,
            .mad = 0.25,
            .p5 = 0.275,
            .p25 = 0.375,
            .p75 = 0.625,
            .p95 = 0.725,
            .cv = 0.5,
            .median_ci_low = 0.25,
            .median_ci_high = 0.75,
            .outliers = 0};
  r.user_times = {0.0625, 0.125, 0.1875};
  r.system_times = {0.0625, 0.125, 0.1875};
  r.peak_rss_samples = {4194304, 3145728, 4194304};
  r.user_seconds = 0.125;
  r.system_seconds = 0.125;
  r.cpu.mean = 0.25;  // the summary of user + system: {0.125, 0.25, 0.375}
  r.cpu.median = 0.25;
  r.cpu.stddev = 0.125;
  r.cpu.cv = 0.5;
  r.peak_rss_bytes = 4194304;
  r.peak_rss_sum_bytes = 4194304;
  r.voluntary_switches = 3.5;
  r.involuntary_switches = 0.5;
  r.tasks = {.total = 12, .completed = 12, .failed = 0, .cancelled = 0, .pending = 0};
  r.ideal_seconds = 0.3;
  r.efficiency = 0.6;
  r.speedup = 1;
  r.relative = Relative{"sequential", 1, 0};
  r.verified = true;
  r.warnings = {"a warning"};
  r.timeline = {{0, 0.000125, 0.010125, 101, TaskStatus::kOk},
                {1, 0.010125, 0.030125, 101, TaskStatus::kOk},
                {2, 0.030125, 0.060125, 101, TaskStatus::kOk},
                {3, 0.060125, 0.100125, 101, TaskStatus::kOk}};
  // Over the four starts and ends above (linear interpolation, rank 0.9 * 3 = 2.7 for p90).
  r.start_delay = {.p50 = 0.020125, .p90 = 0.051125, .p99 = 0.059225, .max = 0.060125};
  r.completion = {.p50 = 0.045125, .p90 = 0.088125, .p99 = 0.098925, .max = 0.100125};
  return r;
}

inline Result GoldenPrimesResult() {
  Result r;
  r.run = "fast";
  r.workload = "primes";
  r.engine = "pool";
  r.workload_parameters = {{"numbers", {5, 7, 11}}};
  r.engine_parameters = {{"workers", 2}};
  r.given_parameters = {{"numbers"}};  // workers holds its default
  r.times = {0.125, 0.25, 0.375};
  r.exit_codes = {0, 1, 1};
  r.wall = {.mean = 0.25,
            .median = 0.25,
            .stddev = 0.125,
            .min = 0.125,
            .max = 0.375,
            .mad = 0.125,
            .p5 = 0.1375,
            .p25 = 0.1875,
            .p75 = 0.3125,
            .p95 = 0.3625,
            .cv = 0.5,
            .median_ci_low = 0.125,
            .median_ci_high = 0.375,
            .outliers = 0};
  r.user_seconds = 0.0625;
  r.system_seconds = 0.0625;
  r.cpu.mean = 0.125;  // as if three repetitions of 0.125 s each
  r.cpu.median = 0.125;
  r.peak_rss_bytes = 1536;
  r.peak_rss_sum_bytes = 1536;
  r.voluntary_switches = 0;
  r.involuntary_switches = 2;
  r.commands = {0.5, 0.25, 2097152, 3};
  r.tasks = {.total = 9, .completed = 6, .failed = 1, .cancelled = 1, .pending = 1};
  r.ideal_seconds = 0.2;
  r.efficiency = 0.8;
  r.relative = Relative{"thread", 0.4, 0.04};
  r.verified = false;
  r.unverified_reason = "task 1 failed: boom";
  r.problems = {"task 1 failed: boom"};
  r.metrics = {{"checked", 3}, {"method", "trial division"}};
  r.timeline = {{0, 0.0005, 0.0015, 7, TaskStatus::kOk},
                {1, 0.0005, 0.002, 8, TaskStatus::kFailed},
                {2, 0.0015, 0.0025, 7, TaskStatus::kCancelled},
                {3, 0, 0, 0, TaskStatus::kNotRun}};
  r.start_delay = {.p50 = 0.0005, .p90 = 0.0005, .p99 = 0.0005, .max = 0.0005};
  r.completion = {.p50 = 0.0015, .p90 = 0.0015, .p99 = 0.0015, .max = 0.0015};
  return r;
}

inline std::vector<Result> GoldenResults() { return {GoldenSleepResult(), GoldenPrimesResult()}; }

// A compact JSON golden as the JSON writers print it: indented by 2, keys sorted, a final
// newline. Numbers keep their type: 250.0 is a double, 250 an integer.
inline std::string Indented(const char* compact) {
  return nlohmann::json::parse(compact).dump(2) + "\n";
}

}  // namespace concbench::testing
