// What a `run` measures: run specs (from the command line or a suite) expanded into points, one
// per (workload, engine, sweep value), each measured with its own repetition policy.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "concbench/params.hpp"
#include "concbench/workload.hpp"
#include "core/names.hpp"
#include "core/sweep.hpp"
#include "engines/engine.hpp"

namespace concbench {

// How many times a point runs, as hyperfine decides it: at least `min_runs`, more until the
// measured runs take `min_time_s` (estimated from the first run), at most `max_runs`.
struct RepetitionPolicy {
  unsigned warmup = 1;
  unsigned min_runs = 5;
  std::optional<unsigned> max_runs;
  double min_time_s = 0;

  // The number of measured runs, given the first run's wall seconds.
  unsigned RunsFor(double first_run_s) const;
};

// A claim a suite run makes about its results, checked after the run.
struct Expectation {
  std::string engine;  // empty: every engine of the run
  std::string metric;  // a dot path into the result's JSON, e.g. "median" or "tasks.pending"
  std::optional<double> value;
  double tolerance = 0;  // relative, around `value`
  std::optional<double> min, max;
  bool seconds = false;  // the figures are durations (scaled by the suite's time scale)
};

// One block of runs: the command line, or one entry of a suite.
struct RunSpec {
  std::string name;   // the suite run's name; empty on the command line
  std::string claim;  // what the suite expects, in words
  std::string
      context;  // where the spec came from, for errors: "" (command line) or "FILE: runs[2]"
  std::vector<std::string> workloads;         // empty or "all": every workload
  std::vector<std::string> engines;           // empty or "all": every engine
  std::map<std::string, std::string> values;  // parameter values as given on the command line
  std::vector<Sweep> sweeps;
  RepetitionPolicy policy;
  std::vector<Expectation> expect;
};

// One (workload, engine, sweep value) to measure.
struct Point {
  std::size_t spec = 0;                // index of its RunSpec
  std::shared_ptr<Workload> workload;  // shared by the engines of one sweep value
  std::unique_ptr<Engine> engine;
  std::string label;                         // "sleep on pool (tasks=100)"
  std::map<std::string, std::string> swept;  // the swept parameters' values at this point
};

// A point's label: "workload on engine" and, when swept, " (name=value, ...)".
std::string PointLabel(const std::string& workload, const std::string& engine,
                       const std::map<std::string, std::string>& swept);

// Every parameter of every workload and engine, once each, in registry order.
std::vector<ParamSpec> AllParams();
// A default of a parameter and the workloads and engines that have it.
struct ParamDefault {
  std::string value;
  std::vector<std::string> plugins;
};
// The defaults of the parameters named `name`, the most shared first: parameters of several
// workloads and engines share a name, type and meaning, but may differ in their default.
std::vector<ParamDefault> ParamDefaults(const std::string& name);

// Builds every point of `specs`, in spec order, then workload, sweep value and engine order.
// On bad input returns nullopt and sets *error, naming the option or the suite entry. Pairs
// left out because the workload cannot run on the engine (when "all" chose them) are noted in
// *skipped. When `stop` is requested it stops between points and returns nullopt, *error
// untouched.
std::optional<std::vector<Point>> MakePoints(const std::vector<RunSpec>& specs, std::string* error,
                                             std::vector<std::string>* skipped,
                                             std::stop_token stop = {});

}  // namespace concbench
