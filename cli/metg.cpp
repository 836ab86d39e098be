#include "cli/metg.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/options.hpp"
#include "concbench/params.hpp"
#include "concbench/workload_registry.hpp"
#include "core/files.hpp"
#include "core/metg.hpp"
#include "engines/mpi_world.hpp"
#include "engines/registry.hpp"
#include "reports/metg.hpp"
#include "results/json.hpp"
#include "results/metg.hpp"
#include "util/json_text.hpp"
#include "util/os.hpp"
#include "workloads/graph.hpp"

namespace concbench {
namespace {

std::chrono::nanoseconds ParseGrain(const std::string& text) {
  std::string why;
  return *ParseDuration(text, &why);  // validated by the option
}

// --pattern and the graph's other options, as the spin workload declares them, into
// config.graph; their values are checked when the sweep's first workload is made.
void AddGraphOptions(CLI::App& metg, MetgConfig& config) {
  const WorkloadInfo* spin = FindWorkload("spin");
  for (const ParamSpec& spec : GraphParams()) {
    if (std::find_if(spin->params.begin(), spin->params.end(), [&](const ParamSpec& p) {
          return p.name == spec.name;
        }) == spin->params.end()) {
      continue;
    }
    std::string help = spec.help;
    if (spec.name == "steps") help += " [default: about --tasks ÷ --width per point]";
    metg.add_option_function<std::string>(
            "--" + spec.name,
            [&config, name = spec.name](const std::string& value) { config.graph[name] = value; },
            help)
        ->check(ParamValidator(spec));
  }
}

}  // namespace

CLI::App* AddMetgCommand(CLI::App& app, MetgConfig& config) {
  CLI::App* metg = app.add_subcommand(
      "metg", "Sweep the spin workload's grain and report each engine's METG (Task Bench)");
  metg->add_option("-e,--engine", config.engines,
                   "Engines to measure, comma-separated (asio runs with --offload)")
      ->delimiter(',')
      ->check(NameValidator("engine", Names(EngineRegistry()), false))
      ->capture_default_str();
  metg->add_option("--tasks", config.tasks,
                   "Tasks per point [default: about 0.1 s of ideal work, at most 10000]")
      ->check(CLI::Range(1u, 10'000'000u));
  metg->add_option("--workers", config.workers,
                   "Workers of the pool, process and asio engines [default: usable CPUs]")
      ->check(CLI::Range(1u, 4096u));
  metg->add_option("--threshold", config.threshold, "Efficiency threshold, in (0, 1]")
      ->check(FiniteNumber())
      ->check(CLI::Range(1e-6, 1.0))
      ->capture_default_str();
  metg->add_option("-r,--repetitions", config.repetitions, "Measured runs per point")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  CLI::Validator duration = ParamValidator(ParamType::kDuration);
  metg->add_option("--min-grain", config.min_grain, "Smallest grain of the sweep")
      ->check(duration)
      ->capture_default_str();
  metg->add_option("--max-grain", config.max_grain, "Largest grain of the sweep")
      ->check(duration)
      ->capture_default_str();
  metg->add_option("--points-per-decade", config.points_per_decade, "Grains per factor of 10")
      ->check(CLI::Range(1u, 100u))
      ->capture_default_str();
  AddGraphOptions(*metg, config);
  metg->add_option("--python", config.python,
                   "The Python engines' interpreter [default: python3 on PATH]")
      ->check(NonEmptyPath());
  metg->add_option("--json", config.json_path, "Write every curve and METG as JSON to FILE")
      ->check(NonEmptyPath());
  metg->add_flag("-q,--quiet", config.quiet, "No progress on stderr");
  return metg;
}

int ExecuteMetg(const MetgConfig& config, const Context& context, std::stop_token stop) {
  MetgOptions options{.engines = config.engines,
                      .tasks = config.tasks,
                      .workers = config.workers,
                      .threshold = config.threshold,
                      .repetitions = config.repetitions,
                      .min_grain = ParseGrain(config.min_grain),
                      .max_grain = ParseGrain(config.max_grain),
                      .points_per_decade = config.points_per_decade,
                      .graph = config.graph,
                      .python = config.python,
                      .progress = {},
                      .on_point = {}};
  if (config.tasks > 0 && config.graph.contains("pattern") &&
      config.graph.at("pattern") != "none") {
    fmt::print(stderr,
               "concbench metg: --tasks: with --pattern a point's tasks are --steps × "
               "--width; leave --tasks out\n");
    return 2;
  }
  if (std::find(config.engines.begin(), config.engines.end(), "mpi") != config.engines.end() &&
      CurrentMpiWorld() == nullptr) {
    fmt::print(stderr,
               "concbench metg: --engine mpi: metg does not start mpirun; run it under mpirun "
               "(mpirun -np 3 concbench metg -e mpi ...)\n");
    return 2;
  }
  if (options.min_grain > options.max_grain) {
    fmt::print(stderr, "concbench metg: --min-grain: {} is above --max-grain {}\n",
               config.min_grain, config.max_grain);
    return 2;
  }
  if (!config.json_path.empty()) {
    if (std::string why = CheckWritable(config.json_path); !why.empty()) {
      fmt::print(stderr, "concbench metg: --json: {}\n", why);
      return 2;
    }
  }
  bool show_progress = !config.quiet && IsTerminal(STDERR_FILENO);
  if (show_progress) {
    options.progress = [](std::string_view line) {
      fmt::print(stderr, "\r\033[K{}", line);
      std::fflush(stderr);
    };
  }
  auto save = [&](const MetgReport& report) -> std::string {
    if (config.json_path.empty()) return "";
    return WriteOutputFile(config.json_path, DumpJson(MetgToJson(context, report), 2) + "\n");
  };
  if (!WritesThrough(config.json_path)) options.on_point = save;  // a device or FIFO: at the end
  MetgRun run;
  try {
    run = RunMetg(options, stop);
  } catch (const ParamError& e) {  // an engine's setting, e.g. --python
    fmt::print(stderr, "concbench metg: {}\n", e.what());
    return 2;
  }
  if (run.error.empty()) run.error = save(run.report);
  if (!run.error.empty()) {
    fmt::print(stderr, "concbench metg: --json: {}\n", run.error);
    return 2;
  }
  if (show_progress) fmt::print(stderr, "\r\033[K");

  std::ostringstream table;
  WriteMetgTable(table, run.report);
  fmt::print("{}", table.str());
  for (const MetgCurve& curve : run.report.curves) {
    for (const std::string& warning : curve.warnings) {
      fmt::print(stderr, "warning: {}: {}\n", curve.label, warning);
    }
  }
  if (!config.json_path.empty()) fmt::print("curves written to {}\n", config.json_path);
  if (run.interrupted || stop.stop_requested()) {  // also a signal while writing
    fmt::print(stderr, "concbench metg: interrupted\n");
    return 130;
  }
  return run.all_verified ? 0 : 1;
}

}  // namespace concbench
