#include "cli/outputs.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/options.hpp"
#include "core/files.hpp"
#include "results/order.hpp"
#include "util/format.hpp"

namespace concbench {

std::vector<CLI::Option*> AddOutputOptions(CLI::App* command, OutputConfig& config) {
  std::vector<CLI::Option*> added;
  added.push_back(command
                      ->add_option("--json", config.json_path,
                                   "Write results as JSON to FILE (- for stdout); same as "
                                   "--export-json")
                      ->type_name("FILE")
                      ->check(NonEmptyPath()));
  added.push_back(
      command
          ->add_option("--trace", config.trace_path,
                       "Write every task's span to FILE in the Trace Event Format (Perfetto)")
          ->type_name("FILE")
          ->check(NonEmptyPath()));
  for (const ReporterInfo& info : ReporterRegistry()) {
    if (!info.option.starts_with("--export-")) continue;
    std::string format(info.name);
    added.push_back(
        command
            ->add_option(std::string(info.option), config.exports[format],
                         fmt::format("Write results as {} to FILE (- for stdout)", format))
            ->type_name("FILE")
            ->check(NonEmptyPath()));
  }
  added.push_back(
      command
          ->add_option("--save-baseline", config.save_baseline,
                       "Also save the results as baseline NAME (see compare --baseline)")
          ->type_name("NAME")
          ->check(NonEmptyPath()));
  added.push_back(
      command->add_option("--baseline-dir", config.baseline_dir, "Folder of saved baselines")
          ->type_name("DIR")
          ->check(NonEmptyPath())
          ->capture_default_str());
  added.push_back(
      command
          ->add_option("--complexity", config.complexity.mode,
                       "Fit the times of a sweep over a number to an order, as "
                       "google/benchmark's BigO: auto (the best fit), none, 1, logN, N, NlogN, "
                       "N2 or N3")
          ->type_name("ORDER")
          ->check(CLI::IsMember({"auto", "none", "1", "logN", "N", "NlogN", "N2", "N3"}))
          ->capture_default_str());
  added.push_back(command
                      ->add_option("--complexity-of", config.complexity.parameter,
                                   "The swept parameter that is N for --complexity [default: "
                                   "the one swept over numbers]")
                      ->type_name("NAME"));
  command->add_option("--color", config.color, "Colour the table: auto, always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command
      ->add_option("--columns", config.columns,
                   "The table's width: auto (the terminal's; every column when piped), wide "
                   "(every column), normal (fits 100 columns) or narrow (fits 80)")
      ->type_name("WORD")
      ->check(CLI::IsMember({"auto", "wide", "normal", "narrow"}))
      ->capture_default_str();
  command
      ->add_option("--sort", config.sort,
                   "Order of the table and the Markdown, AsciiDoc and Org exports within each "
                   "point: auto (as measured), name (engine name) or median (fastest first)")
      ->type_name("WORD")
      ->check(CLI::IsMember({"auto", "name", "median"}))
      ->capture_default_str();
  command
      ->add_option("-u,--time-unit", config.time_unit,
                   "Unit of the times in the table and the Markdown, AsciiDoc and Org exports: "
                   "auto (the largest fitting), s, ms, us or ns; JSON and CSV keep seconds")
      ->type_name("UNIT")
      ->check(CLI::IsMember({"auto", "s", "ms", "us", "ns"}))
      ->capture_default_str();
  command->add_flag("-v,--verbose", config.verbose,
                    "Under the table, each result's own figures and every noise warning (by "
                    "default folded into one line; the results file has them all)");
  return added;
}

std::vector<Output> OutputsOf(const OutputConfig& config, std::string* error) {
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
  return outputs;
}

std::size_t TableColumns(const std::string& columns, int fd) {
  if (columns == "narrow") return 80;
  if (columns == "normal") return 100;
  if (columns == "wide") return 0;
  return TerminalColumns(fd);
}

int Publish(const std::string& command, const OutputConfig& config,
            const std::vector<Output>& outputs, Report& report, std::string save_error) {
  // An output to "-" or to /dev/stdout gets stdout to itself; the table goes to stderr then.
  bool stdout_taken = std::any_of(outputs.begin(), outputs.end(),
                                  [](const Output& o) { return OutputIdentity(o.path) == "fd:1"; });
  std::FILE* table_stream = stdout_taken ? stderr : stdout;
  report.color = UseColor(config.color, ::fileno(table_stream));
  std::vector<Result> shown;
  if (report.results != nullptr) {
    shown = Ordered(*report.results, ParseResultOrder(config.sort));
    report.shown = &shown;
  }
  report.time_unit = ParseTimeUnit(config.time_unit);
  report.table_columns = TableColumns(config.columns, ::fileno(table_stream));
  report.verbose = config.verbose;
  std::ostringstream table;
  FindReporter("table")->write(table, report);
  fmt::print(table_stream, "{}", table.str());
  report.color = false;
  report.warnings = &std::cerr;  // the final outputs only
  if (save_error.empty()) save_error = SaveFiles(outputs, report, /*final=*/true);
  if (!save_error.empty()) {
    fmt::print(stderr, "concbench {}: {}\n", command, save_error);
    return 2;
  }
  for (const Output& output : outputs) {
    if (output.path == "-") {
      fmt::print(stdout, "{}", Render(output, report));
    } else {
      fmt::print(table_stream, "{} written to {}\n",
                 output.option == "--save-baseline" ? "baseline" : "results", output.path);
    }
  }
  return 0;
}

}  // namespace concbench
