#include "cli/compare.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>

#include "cli/options.hpp"
#include "core/files.hpp"
#include "reports/registry.hpp"
#include "results/comparison.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

// Names each result of `results` on one line each, at most `most` of them.
std::string Listing(const std::vector<std::string>& names, std::size_t most = 10) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) text += "\n  " + names[i];
  if (names.size() > most) text += fmt::format("\n  and {} more", names.size() - most);
  return names.empty() ? " nothing" : text;
}

std::vector<std::string> NamesOf(const std::vector<Result>& results) {
  std::vector<std::string> names;
  for (const Result& r : results) names.push_back(PairName(r));
  return names;
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
                   "Changes of the median smaller than PCT percent (or half the measured "
                   "noise, if larger) are no change")
      ->check(FiniteNumber())
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  compare->add_option("--alpha", config.alpha, "Significance level of the Mann-Whitney U test")
      ->check(FiniteNumber())
      ->check(CLI::Range(1e-6, 0.5))
      ->capture_default_str();
  compare
      ->add_option("--metric", config.metric,
                   "What to compare: wall, user, system, cpu (user + system), peak_rss, or auto "
                   "(cpu for CPU-bound pairs, wall for the others)")
      ->check(CLI::IsMember(CompareMetricNames()))
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
  CompareOptions options =
      CompareOptionsFrom(config.metric, config.threshold_percent, config.alpha);
  // auto needs wall samples everywhere; cpu samples where a pair is CPU-bound.
  Metric required = options.auto_metric ? Metric::kWall : options.metric;
  std::optional<std::vector<Result>> base = LoadResults(base_path, required, &error);
  std::optional<std::vector<Result>> next;
  if (base) next = LoadResults(new_path, required, &error);
  if (!base || !next) {
    fmt::print(stderr, "concbench compare: {}\n", error);
    return 2;
  }
  ComparisonReport report = CompareResults(*base, *next, options);
  if (report.pairs.empty()) {
    fmt::print(stderr,
               "concbench compare: no result of {} pairs with one of {}: nothing was compared\n"
               "{} has:{}\n{} has:{}\n(results pair by --name or suite run, workload, engine and "
               "sweep point; unnamed ones by every parameter)\n",
               new_path, base_path, base_path, Listing(NamesOf(*base)), new_path,
               Listing(NamesOf(*next)));
    return 2;
  }
  Report output{.comparison = &report,
                .color = config.format == "table" && UseColor(config.color, STDOUT_FILENO)};
  FindReporter(config.format)->write(std::cout, output);
  std::cout.flush();
  if (std::size_t broken = report.not_comparable(); broken > 0) {
    fmt::print(stderr,
               "concbench compare: {} of {} pairs could not be compared (a side not verified, a "
               "base median of 0 or a median that is not a finite number); the comparison "
               "fails\n",
               broken, report.pairs.size());
  }
  return report.failed() ? 1 : 0;
}

}  // namespace concbench
