#include "cli/compare.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>

#include "cli/options.hpp"
#include "core/files.hpp"
#include "reports/comparison.hpp"
#include "reports/registry.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

Metric ParseMetric(const std::string& name) {
  if (name == "user") return Metric::kUser;
  if (name == "system") return Metric::kSystem;
  if (name == "peak_rss") return Metric::kPeakRss;
  return Metric::kWall;
}

}  // namespace

CLI::App* AddCompareCommand(CLI::App& app, CompareConfig& config) {
  CLI::App* compare = app.add_subcommand(
      "compare", "Compare two results files (or a saved baseline and a results file)");
  compare->add_option("files", config.files, "BASE.json NEW.json, or NEW.json with --baseline")
      ->check(NonEmptyPath())
      ->check(CLI::ExistingFile)
      ->expected(1, 2)
      ->required();
  compare
      ->add_option("--baseline", config.baseline,
                   "Compare against the baseline saved as NAME by run --save-baseline")
      ->check(NonEmptyPath());
  compare->add_option("--baseline-dir", config.baseline_dir, "Folder of saved baselines")
      ->check(NonEmptyPath())
      ->capture_default_str();
  compare
      ->add_option("--threshold", config.threshold_percent,
                   "Changes of the median smaller than PCT percent are no change")
      ->check(FiniteNumber())
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  compare->add_option("--alpha", config.alpha, "Significance level of the Mann-Whitney U test")
      ->check(FiniteNumber())
      ->check(CLI::Range(1e-6, 0.5))
      ->capture_default_str();
  compare->add_option("--metric", config.metric, "What to compare: wall, user, system, peak_rss")
      ->check(CLI::IsMember({"wall", "user", "system", "peak_rss"}))
      ->capture_default_str();
  std::vector<std::string> formats = ReporterNames(kComparisonReport);
  compare
      ->add_option("--format", config.format,
                   fmt::format("Output: {} or {}",
                               fmt::join(formats.begin(), formats.end() - 1, ", "), formats.back()))
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  compare->add_option("--color", config.color, "Colour the table: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  return compare;
}

int ExecuteCompare(const CompareConfig& config) {
  std::string base_path, new_path, error;
  if (!config.baseline.empty()) {
    if (config.files.size() != 1) {
      fmt::print(stderr,
                 "concbench compare: --baseline: give one results file to compare "
                 "with the baseline, not {}\n",
                 config.files.size());
      return 2;
    }
    base_path = BaselinePath(config.baseline_dir, config.baseline, &error);
    if (base_path.empty()) {
      fmt::print(stderr, "concbench compare: --baseline: {}\n", error);
      return 2;
    }
    if (::access(base_path.c_str(), R_OK) != 0) {
      fmt::print(stderr,
                 "concbench compare: --baseline: no baseline '{}' in {} (save one with run "
                 "--save-baseline {})\n",
                 config.baseline, config.baseline_dir, config.baseline);
      return 2;
    }
    new_path = config.files[0];
  } else {
    if (config.files.size() != 2) {
      fmt::print(stderr,
                 "concbench compare: give BASE.json and NEW.json, or --baseline NAME "
                 "and NEW.json\n");
      return 2;
    }
    base_path = config.files[0];
    new_path = config.files[1];
  }
  CompareOptions options{.metric = ParseMetric(config.metric),
                         .threshold = config.threshold_percent / 100,
                         .alpha = config.alpha};
  std::optional<std::vector<Result>> base = LoadResults(base_path, options.metric, &error);
  std::optional<std::vector<Result>> next;
  if (base) next = LoadResults(new_path, options.metric, &error);
  if (!base || !next) {
    fmt::print(stderr, "concbench compare: {}\n", error);
    return 2;
  }
  ComparisonReport report = CompareResults(*base, *next, options);
  Report output{.comparison = &report,
                .color = config.format == "table" && UseColor(config.color, STDOUT_FILENO)};
  FindReporter(config.format)->write(std::cout, output);
  std::cout.flush();
  if (report.pairs.empty()) {
    fmt::print(stderr, "concbench compare: warning: no result of {} matches one of {}\n", new_path,
               base_path);
  }
  if (std::size_t broken = report.not_comparable(); broken > 0) {
    fmt::print(stderr,
               "concbench compare: {} of {} pairs could not be compared (a base median of 0 or "
               "a median that is not a finite number); the comparison fails\n",
               broken, report.pairs.size());
  }
  return report.failed() ? 1 : 0;
}

}  // namespace concbench
