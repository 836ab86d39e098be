#include "cli/run.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>

#include "cli/mpirun.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "concbench/workload_registry.hpp"
#include "core/claims.hpp"
#include "core/files.hpp"
#include "core/json_reader.hpp"
#include "core/outputs.hpp"
#include "core/plan.hpp"
#include "core/schedule.hpp"
#include "core/shard.hpp"
#include "core/suite.hpp"
#include "engines/registry.hpp"
#include "reports/registry.hpp"
#include "results/context.hpp"
#include "results/json.hpp"
#include "results/statistics.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

// Adds an option of run's own and remembers it by its long name.
using Remember = std::function<CLI::Option*(CLI::Option*)>;

// What to run and how often.
void AddMeasurementOptions(CLI::App* run, RunConfig& config, const Remember& remember) {
  remember(run->add_option("-w,--workload", config.request.workloads,
                           "Workloads to run, comma-separated, or all (see `concbench list`)")
               ->delimiter(',')
               ->type_name("NAME,...")
               ->check(NameValidator("workload", Names(WorkloadRegistry()), true)));
  remember(run->add_option("-e,--engine", config.request.engines,
                           "Engines to compare, comma-separated, or all (see `concbench list`)")
               ->delimiter(',')
               ->type_name("NAME,...")
               ->check(NameValidator("engine", Names(EngineRegistry()), true)));
  CLI::Option* repetitions =
      remember(run->add_option("-r,--repetitions", config.request.repetitions,
                               "Measured runs of each point (same as --min-runs N --max-runs N)")
                   ->type_name("N")
                   ->check(CLI::Range(1u, 100000u))
                   ->capture_default_str());
  remember(
      run->add_option("--min-runs", config.request.min_runs, "Measure each point at least N times")
          ->type_name("N")
          ->check(CLI::Range(1u, 100000u))
          ->excludes(repetitions));
  remember(
      run->add_option("--max-runs", config.request.max_runs, "Measure each point at most N times")
          ->type_name("N")
          ->check(CLI::Range(1u, 100000u))
          ->excludes(repetitions));
  remember(run->add_option("--min-time", config.request.min_time,
                           "Repeat each point until its runs take this long (e.g. 3s), "
                           "within --min-runs and --max-runs")
               ->check(ParamValidator(ParamType::kDuration))
               ->excludes(repetitions));
  remember(
      run->add_option("--warmup", config.request.warmup, "Unmeasured runs before the measured ones")
          ->type_name("N")
          ->check(CLI::Range(0u, 10000u))
          ->capture_default_str());
  remember(run->add_flag("--no-interleave", config.no_interleave,
                         "Measure each point's repetitions in a row instead of taking turns"));
  remember(run->add_option("--reference", config.reference,
                           "Engine the relative speeds are against [default: sequential when it "
                           "ran, else the fastest]")
               ->check(NameValidator("engine", Names(EngineRegistry()), true)));
}

// Sweeps, names and suites.
void AddPlanOptions(CLI::App* run, RunConfig& config, const Remember& remember) {
  remember(run->add_option("--sweep", config.request.sweeps,
                           "Run each value of a parameter: NAME=10,100,1000, NAME=10..100000:x10 "
                           "or NAME=1..8:+1; repeat for a grid")
               ->type_name("NAME=SPEC"));
  remember(run->add_option("--name", config.request.name,
                           "Name these results, so that compare pairs them by name even when "
                           "their parameters differ")
               ->type_name("NAME"));
  remember(run->add_option("--suite", config.request.suite,
                           "Run the suite in FILE (a JSON list of runs) instead of -w/-e")
               ->check(NonEmptyPath())
               ->check(CLI::ExistingFile));
  remember(run->add_option("--time-scale", config.request.time_scale,
                           "Multiply the suite's durations by F [default: the suite's own]")
               ->type_name("F")
               ->check(FiniteNumber())
               ->check(CLI::Range(1e-3, 1e3)));
  remember(run->add_option("--shard", config.shard,
                           "Measure only slice K of N of the points, balanced by their expected "
                           "time (e.g. 2/3); `concbench merge` joins the N results files")
               ->type_name("K/N")
               ->check(CLI::Validator(
                   [](std::string& text) {
                     std::string error;
                     return ParseShard(text, &error) ? std::string() : error;
                   },
                   "K/N")));
}

// Fills what the options left implicit: which were given, and the parameters' values.
void Gather(RunConfig& config) {
  for (const auto& [name, option] : config.options) {
    if (option->count() > 0) config.request.given.insert(name);
  }
  for (const auto& [name, value] : config.params.Given()) {
    config.request.given.insert(name);
    config.request.values[name] = value;
  }
}

}  // namespace

CLI::App* AddRunCommand(CLI::App& app, RunConfig& config) {
  CLI::App* run = app.add_subcommand("run", "Measure workloads on engines (default: all on all)");
  Remember remember = [&config](CLI::Option* option) {
    config.options[option->get_lnames().front()] = option;
    return option;
  };
  // Each block of options in its help group.
  auto grouped = [run](const char* group, auto&& add) {
    std::size_t before = run->get_options({}).size();
    add();
    std::vector<CLI::Option*> options = run->get_options({});
    for (std::size_t i = before; i < options.size(); ++i) options[i]->group(group);
  };
  grouped("What to run and how often", [&] { AddMeasurementOptions(run, config, remember); });
  grouped("Sweeps, names and suites", [&] { AddPlanOptions(run, config, remember); });
  grouped("Outputs", [&] {
    for (CLI::Option* option : AddOutputOptions(run, config.output)) remember(option);
    run->add_flag("-q,--quiet", config.quiet, "No progress on stderr");
  });
  AddParamOptions(run, config.params);  // each in its workload's or the engines' group
  run->footer(
      "Workloads and engines: `concbench list`. `concbench run --help -w NAME -e NAME` shows "
      "only the options of those workloads and engines.");
  return run;
}

namespace {

// The suite's block of the results file (with the claims checked so far) and `shard`'s; {}
// without either.
nlohmann::json ExtraBlocks(const Suite& suite, const std::vector<ExpectationOutcome>& outcomes,
                           const nlohmann::json& shard) {
  nlohmann::json extra = nlohmann::json::object();
  if (!suite.path.empty()) {
    extra = SuiteToJson(suite.path, suite.description, suite.time_scale, outcomes);
  }
  if (!shard.is_null()) extra["shard"] = shard;
  return extra;
}

// Keeps only the points of `config.shard` in `points`, says on stderr which and how long they
// should take, and returns the results file's "shard" block (null without --shard). *error when
// the suite file cannot be read again.
nlohmann::json KeepShard(const RunConfig& config, const Suite& suite,
                         const std::vector<RunSpec>& specs, std::vector<Point>& points,
                         std::string* error) {
  if (config.shard.empty()) return nullptr;
  std::string why;
  ShardSpec spec = *ParseShard(config.shard, &why);  // the option's check passed
  std::optional<std::string> text = std::string();
  if (!suite.path.empty()) text = ReadTextFile(suite.path, error);
  if (!text) return nullptr;
  ShardOrigin origin{.total_points = points.size(),
                     .plan_hash = PlanHash(*text, suite.time_scale, specs, points),
                     .suite_path = suite.path,
                     .suite_hash = suite.path.empty() ? "" : ContentHash(*text)};
  Shard shard = TakeShard(points, specs, spec);
  std::vector<Point> kept;
  for (std::size_t index : shard.points) kept.push_back(std::move(points[index]));
  std::size_t total = points.size();
  points = std::move(kept);
  std::vector<std::string> estimates;
  for (double seconds : shard.all_estimated_seconds) estimates.push_back(FormatSeconds(seconds));
  fmt::print(stderr, "concbench run: shard {}/{}: {} of {} points, estimated {} (the shards: {})\n",
             spec.index, spec.count, points.size(), total, FormatSeconds(shard.estimated_seconds),
             fmt::join(estimates, ", "));
  if (points.empty()) {
    fmt::print(stderr,
               "concbench run: shard {}/{} has no points ({} shards of {} points): its results "
               "file has no results\n",
               spec.index, spec.count, spec.count, total);
  }
  return ShardToJson(shard, points, specs, origin);
}

// The parameter --complexity fits the points' times over (see ComplexityParameter).
std::string ComplexityOf(const ComplexityOptions& options, const std::vector<Point>& points,
                         std::string* error) {
  std::vector<nlohmann::json> sweeps;
  for (const Point& point : points) sweeps.emplace_back(point.swept);
  return ComplexityParameter(sweeps, options, error);
}

// A trace is written: it draws every task of each point's last repetition.
bool Traces(const RunConfig& config) { return !config.output.trace_path.empty(); }

}  // namespace

int ExecuteRun(RunConfig& config, const Context& context, std::stop_token stop) {
  Gather(config);
  std::string error;
  Suite suite;
  std::vector<RunSpec> specs = SpecsFrom(config.request, &error, &suite);
  std::optional<std::vector<Point>> points;
  std::vector<std::string> skipped;
  if (error.empty()) points = MakePoints(specs, &error, &skipped, stop);
  if (stop.stop_requested()) return 130;
  for (const std::string& note : skipped) fmt::print(stderr, "concbench run: skipped: {}\n", note);
  std::vector<Output> outputs;
  nlohmann::json shard;
  if (error.empty()) shard = KeepShard(config, suite, specs, *points, &error);
  if (error.empty()) outputs = OutputsOf(config.output, &error);
  if (error.empty()) error = CheckOutputs(outputs, config.output.baseline_dir);
  std::string complexity_of;  // the parameter the sweeps are fitted over; "" for none
  if (error.empty()) complexity_of = ComplexityOf(config.output.complexity, *points, &error);
  std::optional<MpirunLaunch> launch;
  if (error.empty()) launch = MpirunLaunchOf(*points, &error);
  if (!error.empty()) {
    fmt::print(stderr, "concbench run: {}\n", error);
    return 2;
  }
  if (stop.stop_requested()) return 130;
  if (launch) return RunUnderMpirun(*launch, config.args, stop);

  std::vector<Result> results;
  std::vector<ExpectationOutcome> outcomes;
  Report report{.context = &context,
                .results = &results,
                .expectations = &outcomes,
                .extra = ExtraBlocks(suite, {}, shard)};
  report.time_unit = ParseTimeUnit(config.output.time_unit);  // for the saves along the way
  std::string save_error, failure;
  Schedule schedule(*points, specs, !config.no_interleave, UsableCpus(), Traces(config));
  std::unique_ptr<ProgressBar> bar = ProgressBarOnStderr(config.quiet || ShowsOutput(specs));
  std::function<void(const Progress&)> progress;
  if (bar) progress = [&bar](const Progress& now) { bar->Show(now); };
  bool finished = MeasureAll(schedule, config.reference, outputs, progress, report, results,
                             &save_error, &failure, stop);
  bar.reset();     // cleared before the table
  if (finished) {  // a shard checks the claims of its own points only
    std::vector<RunSpec> claims = shard.is_null() ? specs : ClaimsOfPoints(specs, *points);
    AcceptClaimedNothingCompleted(claims, results);
    outcomes = CheckExpectations(claims, results);
  }
  report.extra = ExtraBlocks(suite, outcomes, shard);
  report.complexity = FitGroups(results, complexity_of, ParseBigO(config.output.complexity.mode));
  if (int status = Publish("run", config.output, outputs, report, save_error); status != 0) {
    return status;
  }
  if (!failure.empty()) {
    fmt::print(stderr, "concbench run: {}; results measured before it: {} of {}\n", failure,
               results.size(), points->size());
    return 1;
  }
  if (!finished || stop.stop_requested()) {  // also a signal while writing
    auto complete = std::count_if(results.begin(), results.end(),
                                  [](const Result& r) { return !r.incomplete; });
    auto partial = static_cast<std::ptrdiff_t>(results.size()) - complete;
    fmt::print(stderr, "concbench run: interrupted; {} of {} results finished{}\n", complete,
               points->size(),
               partial > 0 ? fmt::format(", {} kept with fewer repetitions than planned", partial)
                           : "");
    return 130;
  }
  // Said again on stderr: a CI log may keep only it, and nothing measured must not look green;
  // nor a point that a failing step of its own stopped early (incomplete, yet not interrupted).
  for (const Result& r : results) {
    if (!r.verified && (r.tasks.completed == 0 || r.incomplete)) {
      fmt::print(stderr, "concbench run: {} on {}: {}\n", r.workload, r.engine,
                 r.unverified_reason);
    }
  }
  bool all_verified =
      std::all_of(results.begin(), results.end(), [](const Result& r) { return r.verified; });
  bool claims_hold = std::all_of(outcomes.begin(), outcomes.end(),
                                 [](const ExpectationOutcome& o) { return o.passed; });
  return all_verified && claims_hold ? 0 : 1;
}

}  // namespace concbench
