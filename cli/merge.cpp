#include "cli/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli/options.hpp"

namespace concbench {

CLI::App* AddMergeCommand(CLI::App& app, MergeConfig& config) {
  CLI::App* merge = app.add_subcommand(
      "merge", "Put results files together (the shards of a suite, run --shard K/N) as one");
  merge->add_option("files", config.files, "Results files (A.json B.json ...)")
      ->check(NonEmptyPath())
      ->check(CLI::ExistingFile)
      ->required();
  const char* checks = "Files that do not belong together";
  merge
      ->add_flag("--allow-different-builds", config.options.allow_different_builds,
                 "Merge files written by different builds of concbench (version, commit, "
                 "compiler, build type)")
      ->group(checks);
  merge
      ->add_flag("--allow-different-suites", config.options.allow_different_suites,
                 "Merge shards of different suites or plans, or of different shard counts")
      ->group(checks);
  merge
      ->add_flag("--allow-overlap", config.options.allow_overlap,
                 "Merge files that measured the same point; the copy of the file named last wins")
      ->group(checks);
  for (CLI::Option* option : AddOutputOptions(merge, config.output)) option->group("Outputs");
  merge->get_option("--color")->group("Outputs");
  merge->footer(
      "Exit status: 0 merged; 1 merged, but a result is not verified or a claim did not hold; 2 "
      "a file is unreadable or malformed, or the files do not belong together (nothing is "
      "written).");
  return merge;
}

int ExecuteMerge(const MergeConfig& config) {
  std::string error;
  std::vector<Output> outputs = OutputsOf(config.output, &error);
  if (error.empty()) error = CheckOutputs(outputs, config.output.baseline_dir);
  std::optional<MergedResults> merged;
  if (error.empty()) merged = MergeResultsFiles(config.files, config.options, &error);
  std::string complexity_of;  // the parameter the sweeps are fitted over; "" for none
  if (error.empty()) {
    std::vector<nlohmann::json> sweeps;
    for (const Result& r : merged->results) sweeps.push_back(r.sweep);
    complexity_of = ComplexityParameter(sweeps, config.output.complexity, &error);
  }
  if (!error.empty()) {
    fmt::print(stderr, "concbench merge: {}\n", error);
    return 2;
  }
  for (const std::string& warning : merged->warnings) {
    fmt::print(stderr, "concbench merge: warning: {}\n", warning);
  }
  Report report{.context = &merged->context,
                .results = &merged->results,
                .expectations = &merged->outcomes,
                .extra = merged->extra};
  report.complexity =
      FitGroups(merged->results, complexity_of, ParseBigO(config.output.complexity.mode));
  if (int status = Publish("merge", config.output, outputs, report, ""); status != 0) {
    return status;
  }
  fmt::print(stderr, "concbench merge: {} results from {} files; claims {}\n",
             merged->results.size(), config.files.size(),
             merged->claims_rechecked ? "checked again over them" : "as each file checked them");
  bool all_verified = std::all_of(merged->results.begin(), merged->results.end(),
                                  [](const Result& r) { return r.verified; });
  bool claims_hold = std::all_of(merged->outcomes.begin(), merged->outcomes.end(),
                                 [](const ExpectationOutcome& o) { return o.passed; });
  return all_verified && claims_hold ? 0 : 1;
}

}  // namespace concbench
