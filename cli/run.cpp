#include "cli/run.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "core/names.hpp"
#include "core/output.hpp"
#include "core/plan.hpp"
#include "core/schedule.hpp"
#include "core/suite.hpp"
#include "core/sweep.hpp"
#include "engines/registry.hpp"
#include "reports/context.hpp"
#include "reports/csv.hpp"
#include "reports/gbench.hpp"
#include "reports/github.hpp"
#include "reports/json.hpp"
#include "reports/markdown.hpp"
#include "reports/statistics.hpp"
#include "reports/table.hpp"
#include "reports/trace.hpp"
#include "workloads/registry.hpp"

namespace concbench {
namespace {

std::vector<std::string> Names(const auto& registry) {
  std::vector<std::string> names;
  for (const auto& info : registry) names.emplace_back(info.name);
  return names;
}

// Accepts a registry name or "all"; suggests the closest name otherwise.
CLI::Validator NameValidator(std::string kind, std::vector<std::string> valid) {
  return CLI::Validator(
      [kind, valid](std::string& value) -> std::string {
        if (value == "all" || std::find(valid.begin(), valid.end(), value) != valid.end()) {
          return "";
        }
        return UnknownNameMessage(kind, value, valid);
      },
      "NAME");
}

std::string TypeName(ParamType type) {
  switch (type) {
    case ParamType::kCount: return "N";
    case ParamType::kUInt64: return "N";
    case ParamType::kUInt64List: return "N,N,...";
    case ParamType::kDuration: return "DURATION";
    case ParamType::kDurationList: return "DURATION,...";
    case ParamType::kFlag: return "";
    case ParamType::kWhole: return "N";
    case ParamType::kIndexList: return "I,I,...";
    case ParamType::kRate: return "SHARE";
    case ParamType::kChoice: return "WORD";
    case ParamType::kText: return "TEXT";
    case ParamType::kBytes: return "BYTES";
  }
  return "";
}

bool Given(const RunConfig& config, const std::string& option) {
  auto it = config.options.find(option);
  return it != config.options.end() && it->second->count() > 0;
}

bool UseColor(const std::string& setting, std::FILE* stream) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(::fileno(stream)) && (no_color == nullptr || *no_color == '\0');
}

// The repetition policy the command line asks for, over `base`.
RepetitionPolicy PolicyFrom(const RunConfig& config, RepetitionPolicy base) {
  if (Given(config, "warmup")) base.warmup = config.warmup;
  if (Given(config, "repetitions")) {
    base.min_runs = config.repetitions;
    base.max_runs = config.repetitions;
    base.min_time_s = 0;
  }
  if (Given(config, "min-runs")) base.min_runs = config.min_runs;
  if (Given(config, "max-runs")) base.max_runs = config.max_runs;
  if (Given(config, "min-time")) {
    std::string why;
    base.min_time_s = std::chrono::duration<double>(*ParseDuration(config.min_time, &why)).count();
    if (!Given(config, "max-runs")) base.max_runs.reset();
  }
  if (base.max_runs && *base.max_runs < base.min_runs) {
    if (Given(config, "min-runs")) return base;  // reported by the caller
    base.min_runs = *base.max_runs;
  }
  return base;
}

// The run specs: the suite's, or one from the command line. Sets *error on bad input.
std::vector<RunSpec> SpecsFrom(const RunConfig& config, std::string* error, Suite* suite) {
  RepetitionPolicy defaults = PolicyFrom(config, {});
  if (defaults.max_runs && *defaults.max_runs < defaults.min_runs) {
    *error = fmt::format("--max-runs: {} is below --min-runs {}", *defaults.max_runs,
                         defaults.min_runs);
    return {};
  }
  if (!config.suite.empty()) {
    for (const char* option : {"workload", "engine", "sweep", "name"}) {
      if (Given(config, option)) {
        *error = fmt::format("--{}: cannot be combined with --suite (the suite names its own)",
                             option);
        return {};
      }
    }
    for (const auto& [name, option] : config.param_options) {
      if (option->count() > 0) {
        *error = fmt::format("--{}: cannot be combined with --suite (set it in the suite's "
                             "\"parameters\")", name);
        return {};
      }
    }
    std::optional<double> scale;
    if (Given(config, "time-scale")) scale = config.time_scale;
    std::optional<Suite> loaded = LoadSuite(config.suite, scale, {}, error);
    if (!loaded) return {};
    *suite = std::move(*loaded);
    // Options given on the command line win over the suite's repetition settings.
    for (RunSpec& spec : suite->runs) spec.policy = PolicyFrom(config, spec.policy);
    return suite->runs;
  }
  if (Given(config, "time-scale")) {
    *error = "--time-scale: applies to suites only (use it with --suite)";
    return {};
  }
  RunSpec spec;
  spec.workloads = config.workloads;
  spec.engines = config.engines;
  for (const auto& [name, option] : config.param_options) {
    if (option->count() == 0) continue;
    auto flag = config.param_flags.find(name);
    spec.values[name] = flag != config.param_flags.end() ? (flag->second ? "true" : "false")
                                                         : config.param_values.at(name);
  }
  for (const std::string& text : config.sweeps) {
    std::string why;
    std::optional<Sweep> sweep = ParseSweep(text, &why);
    if (!sweep) {
      *error = "--sweep: " + why;
      return {};
    }
    spec.sweeps.push_back(std::move(*sweep));
  }
  spec.policy = defaults;
  spec.name = config.name;
  return {spec};
}

// Every file output: the results file, the exports and the baseline, by format.
struct Output {
  std::string option;  // for errors: "--json", "--export-csv", "--save-baseline"
  std::string format;
  std::string path;  // "-" for stdout
};

std::vector<Output> OutputsOf(const RunConfig& config, std::string* error) {
  std::vector<Output> outputs;
  if (!config.json_path.empty()) outputs.push_back({"--json", "json", config.json_path});
  if (!config.trace_path.empty()) outputs.push_back({"--trace", "trace", config.trace_path});
  for (const auto& [format, path] : config.exports) {
    if (!path.empty()) outputs.push_back({"--export-" + format, format, path});
  }
  if (!config.save_baseline.empty()) {
    std::string path = BaselinePath(config.baseline_dir, config.save_baseline, error);
    if (path.empty()) return {};
    outputs.push_back({"--save-baseline", "json", path});
  }
  int to_stdout = 0;
  for (const Output& output : outputs) to_stdout += output.path == "-";
  if (to_stdout > 1) {
    *error = "only one output can go to stdout (-)";
    return {};
  }
  return outputs;
}

std::string Render(const Output& output, const Context& context,
                   const std::vector<Result>& results, const nlohmann::json& extra) {
  std::ostringstream out;
  if (output.format == "json") WriteJson(out, context, results, extra);
  if (output.format == "csv") WriteCsv(out, results);
  if (output.format == "markdown") WriteMarkdown(out, results);
  if (output.format == "gbench") WriteGbench(out, context, results);
  if (output.format == "github") WriteGithub(out, results);
  if (output.format == "trace") WriteTrace(out, results);
  return out.str();
}

// Writes every file output (not stdout); returns "" or the option and the reason.
std::string SaveFiles(const std::vector<Output>& outputs, const Context& context,
                      const std::vector<Result>& results, const nlohmann::json& extra) {
  for (const Output& output : outputs) {
    if (output.path == "-") continue;
    if (std::string why = WriteFileAtomically(output.path, Render(output, context, results, extra));
        !why.empty()) {
      return output.option + ": " + why;
    }
  }
  return "";
}

nlohmann::json SuiteJson(const Suite& suite, const std::vector<ExpectationOutcome>& outcomes) {
  if (suite.path.empty()) return nlohmann::json::object();
  nlohmann::json expectations = nlohmann::json::array();
  for (const ExpectationOutcome& o : outcomes) {
    expectations.push_back({{"run", o.run}, {"engine", o.engine}, {"claim", o.claim},
                            {"metric", o.metric}, {"expected", o.expected},
                            {"measured", o.measured}, {"passed", o.passed}});
  }
  return {{"suite", {{"file", suite.path}, {"description", suite.description},
                     {"time_scale", suite.time_scale}}},
          {"expectations", expectations}};
}

}  // namespace

const std::vector<std::string>& ExportFormats() {
  static const std::vector<std::string> formats = {"json", "csv", "markdown", "gbench",
                                                   "github"};
  return formats;
}

std::string BaselinePath(const std::string& dir, const std::string& name, std::string* why) {
  bool valid = !name.empty() && name.size() <= 100 && name[0] != '.' &&
               name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789._-") == std::string::npos;
  if (!valid) {
    *why = fmt::format("'{}' is not a baseline name (letters, digits, '.', '_' and '-', not "
                       "starting with '.')", name);
    return "";
  }
  return (std::filesystem::path(dir) / (name + ".json")).string();
}

CLI::App* AddRunCommand(CLI::App& app, RunConfig& config) {
  CLI::App* run = app.add_subcommand("run", "Measure workloads on engines (default: all on all)");
  auto remember = [&config](CLI::Option* option) {
    config.options[option->get_lnames().front()] = option;
    return option;
  };
  remember(run->add_option("-w,--workload", config.workloads,
                           "Workloads to run, comma-separated, or all (see `concbench list`)")
               ->delimiter(',')
               ->check(NameValidator("workload", Names(WorkloadRegistry()))));
  remember(run->add_option("-e,--engine", config.engines,
                           "Engines to compare, comma-separated, or all (see `concbench list`)")
               ->delimiter(',')
               ->check(NameValidator("engine", Names(EngineRegistry()))));
  CLI::Option* repetitions = remember(
      run->add_option("-r,--repetitions", config.repetitions,
                      "Measured runs of each point (same as --min-runs N --max-runs N)")
          ->check(CLI::Range(1u, 100000u))
          ->capture_default_str());
  remember(run->add_option("--min-runs", config.min_runs, "Measure each point at least N times")
               ->check(CLI::Range(1u, 100000u))
               ->excludes(repetitions));
  remember(run->add_option("--max-runs", config.max_runs, "Measure each point at most N times")
               ->check(CLI::Range(1u, 100000u))
               ->excludes(repetitions));
  remember(run->add_option("--min-time", config.min_time,
                           "Repeat each point until its runs take this long (e.g. 3s), "
                           "within --min-runs and --max-runs")
               ->check(CLI::Validator(
                   [](std::string& value) { return ValidateParam(ParamType::kDuration, value); },
                   "DURATION"))
               ->excludes(repetitions));
  remember(run->add_option("--warmup", config.warmup, "Unmeasured runs before the measured ones")
               ->check(CLI::Range(0u, 10000u))
               ->capture_default_str());
  remember(run->add_flag("--no-interleave", config.no_interleave,
                         "Measure each point's repetitions in a row instead of taking turns"));
  remember(run->add_option("--reference", config.reference,
                           "Engine the relative speeds are against [default: sequential when it "
                           "ran, else the fastest]")
               ->check(NameValidator("engine", Names(EngineRegistry()))));
  remember(run->add_option("--sweep", config.sweeps,
                           "Run each value of a parameter: NAME=10,100,1000, NAME=10..100000:x10 "
                           "or NAME=1..8:+1; repeat for a grid")
               ->type_name("NAME=SPEC"));
  remember(run->add_option("--name", config.name,
                           "Name these results, so that compare pairs them by name even when "
                           "their parameters differ"));
  remember(run->add_option("--suite", config.suite,
                           "Run the suite in FILE (a JSON list of runs) instead of -w/-e")
               ->check(CLI::ExistingFile));
  remember(run->add_option("--time-scale", config.time_scale,
                           "Multiply the suite's durations by F [default: the suite's own]")
               ->check(CLI::Range(1e-3, 1e3)));
  remember(run->add_option("--json", config.json_path,
                           "Write results as JSON to FILE (- for stdout); same as --export-json"));
  remember(run->add_option("--trace", config.trace_path,
                           "Write every task's span to FILE in the Trace Event Format (Perfetto)"));
  for (const std::string& format : ExportFormats()) {
    remember(run->add_option("--export-" + format, config.exports[format],
                             fmt::format("Write results as {} to FILE (- for stdout)", format))
                 ->type_name("FILE"));
  }
  remember(run->add_option("--save-baseline", config.save_baseline,
                           "Also save the results as baseline NAME (see compare --baseline)"));
  remember(run->add_option("--baseline-dir", config.baseline_dir, "Folder of saved baselines")
               ->capture_default_str());
  run->add_option("--color", config.color, "Colour the table: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  run->add_flag("-q,--quiet", config.quiet, "No progress on stderr");
  for (const ParamSpec& spec : AllParams()) {
    std::string help = spec.help;
    if (!spec.default_value.empty() && spec.type != ParamType::kFlag) {
      help += fmt::format(" [default: {}]", spec.default_value);
    }
    CLI::Option* option;
    if (spec.type == ParamType::kFlag) {
      option = run->add_flag("--" + spec.name, config.param_flags[spec.name], help);
    } else {
      option = run->add_option("--" + spec.name, config.param_values[spec.name], help)
                   ->check(CLI::Validator(
                       [spec](std::string& value) { return ValidateParam(spec, value); },
                       TypeName(spec.type)));
    }
    config.param_options[spec.name] = option;
  }
  return run;
}

int ExecuteRun(const RunConfig& config, const Context& context, std::stop_token stop) {
  std::string error;
  Suite suite;
  std::vector<RunSpec> specs = SpecsFrom(config, &error, &suite);
  std::optional<std::vector<Point>> points;
  if (error.empty()) points = MakePoints(specs, &error);
  std::vector<Output> outputs;
  if (error.empty()) outputs = OutputsOf(config, &error);
  for (const Output& output : outputs) {
    if (!error.empty()) break;
    if (output.path == "-") continue;
    if (output.option == "--save-baseline") {
      std::error_code ec;
      std::filesystem::create_directories(config.baseline_dir, ec);
      if (ec) error = fmt::format("--baseline-dir: cannot create '{}': {}", config.baseline_dir, ec.message());
    }
    if (std::string why = CheckWritable(output.path); error.empty() && !why.empty()) {
      error = output.option + ": " + why;
    }
  }
  if (!error.empty()) {
    fmt::print(stderr, "concbench run: {}\n", error);
    return 2;
  }
  if (stop.stop_requested()) return 130;

  // The table goes to stdout unless an output does.
  bool stdout_taken = std::any_of(outputs.begin(), outputs.end(),
                                  [](const Output& o) { return o.path == "-"; });
  std::FILE* table_stream = stdout_taken ? stderr : stdout;
  bool show_progress = !config.quiet && ::isatty(STDERR_FILENO);

  Schedule schedule(*points, specs, !config.no_interleave, UsableCpus());
  std::vector<Result> results;
  auto collect = [&] {
    results = schedule.Results();
    FillSpeedups(results);
    FillRelative(results, config.reference);
  };
  std::string save_error;
  auto last_save = std::chrono::steady_clock::now();
  auto update = [&] {
    // Rewritten as results finish, so an interrupted run keeps what finished; at most about
    // once a second, as summarising is not free.
    auto now = std::chrono::steady_clock::now();
    if (outputs.empty() || !save_error.empty() || now - last_save < std::chrono::seconds(1)) return;
    last_save = now;
    collect();
    save_error = SaveFiles(outputs, context, results, SuiteJson(suite, {}));
  };
  auto progress = [&](std::string_view line) {
    if (!show_progress) return;
    fmt::print(stderr, "\r\033[K{}", line);
    std::fflush(stderr);
  };
  bool finished = schedule.Run(stop, progress, update);
  if (show_progress) fmt::print(stderr, "\r\033[K");
  collect();
  std::vector<ExpectationOutcome> outcomes;
  if (finished) outcomes = CheckExpectations(specs, results);

  bool color = UseColor(config.color, table_stream);
  std::ostringstream table;
  WriteTable(table, results, {.color = color});
  if (!outcomes.empty()) {
    table << '\n';
    WriteExpectations(table, outcomes, {.color = color});
  }
  fmt::print(table_stream, "{}", table.str());
  nlohmann::json extra = SuiteJson(suite, outcomes);
  if (save_error.empty()) save_error = SaveFiles(outputs, context, results, extra);
  if (!save_error.empty()) {
    fmt::print(stderr, "concbench run: {}\n", save_error);
    return 2;
  }
  for (const Output& output : outputs) {
    if (output.path == "-") {
      fmt::print(stdout, "{}", Render(output, context, results, extra));
    } else {
      fmt::print(table_stream, "{} written to {}\n",
                 output.option == "--save-baseline" ? "baseline" : "results", output.path);
    }
  }
  std::fflush(nullptr);
  if (!finished) {
    auto complete = std::count_if(results.begin(), results.end(), [](const Result& r) {
      return r.problems.empty() || !r.problems.front().starts_with("incomplete");
    });
    fmt::print(stderr, "concbench run: interrupted; {} of {} results finished\n", complete,
               points->size());
    return 130;
  }
  bool all_verified = std::all_of(results.begin(), results.end(),
                                   [](const Result& r) { return r.verified; });
  bool claims_hold = std::all_of(outcomes.begin(), outcomes.end(),
                                 [](const ExpectationOutcome& o) { return o.passed; });
  return all_verified && claims_hold ? 0 : 1;
}

}  // namespace concbench
