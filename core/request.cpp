#include "core/request.hpp"

#include <fmt/format.h>

#include <chrono>

#include "concbench/params.hpp"
#include "core/sweep.hpp"

namespace concbench {
namespace {

bool Given(const RunRequest& request, const std::string& option) {
  return request.given.contains(option);
}

// The repetition policy the command line asks for, over `base`.
RepetitionPolicy PolicyFrom(const RunRequest& request, RepetitionPolicy base) {
  if (Given(request, "warmup")) base.warmup = request.warmup;
  if (Given(request, "repetitions")) {
    base.min_runs = request.repetitions;
    base.max_runs = request.repetitions;
    base.min_time_s = 0;
  }
  if (Given(request, "min-runs")) base.min_runs = request.min_runs;
  if (Given(request, "max-runs")) base.max_runs = request.max_runs;
  if (Given(request, "min-time")) {
    std::string why;
    base.min_time_s = std::chrono::duration<double>(*ParseDuration(request.min_time, &why)).count();
    if (!Given(request, "max-runs")) base.max_runs.reset();
  }
  if (base.max_runs && *base.max_runs < base.min_runs) {
    if (Given(request, "min-runs")) return base;  // reported by the caller
    base.min_runs = *base.max_runs;
  }
  return base;
}

// The run specs: the suite's, or one from the command line. Sets *error on bad input.
}  // namespace

std::vector<RunSpec> SpecsFrom(const RunRequest& request, std::string* error, Suite* suite) {
  RepetitionPolicy defaults = PolicyFrom(request, {});
  if (defaults.max_runs && *defaults.max_runs < defaults.min_runs) {
    *error =
        fmt::format("--max-runs: {} is below --min-runs {}", *defaults.max_runs, defaults.min_runs);
    return {};
  }
  if (!request.suite.empty()) {
    for (const char* option : {"workload", "engine", "sweep", "name"}) {
      if (Given(request, option)) {
        *error =
            fmt::format("--{}: cannot be combined with --suite (the suite names its own)", option);
        return {};
      }
    }
    if (!request.values.empty()) {
      *error = fmt::format(
          "--{}: cannot be combined with --suite (set it in the suite's "
          "\"parameters\")",
          request.values.begin()->first);
      return {};
    }
    std::optional<double> scale;
    if (Given(request, "time-scale")) scale = request.time_scale;
    std::optional<Suite> loaded = LoadSuite(request.suite, scale, {}, error);
    if (!loaded) return {};
    *suite = std::move(*loaded);
    // Options given on the command line win over the suite's repetition settings.
    for (RunSpec& spec : suite->runs) spec.policy = PolicyFrom(request, spec.policy);
    return suite->runs;
  }
  if (Given(request, "time-scale")) {
    *error = "--time-scale: applies to suites only (use it with --suite)";
    return {};
  }
  RunSpec spec;
  spec.workloads = request.workloads;
  spec.engines = request.engines;
  spec.values = request.values;
  for (const std::string& text : request.sweeps) {
    std::string why;
    std::optional<Sweep> sweep = ParseSweep(text, &why);
    if (!sweep) {
      *error = "--sweep: " + why;
      return {};
    }
    spec.sweeps.push_back(std::move(*sweep));
  }
  if (std::string why = CheckGridSize(spec.sweeps); !why.empty()) {
    *error = "--sweep: " + why;
    return {};
  }
  spec.policy = defaults;
  spec.name = request.name;
  return {spec};
}

}  // namespace concbench
