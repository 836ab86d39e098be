// `concbench merge A.json B.json ...`: the results files of a suite's shards (run --shard K/N),
// or of any runs, written again as one results file, with every output `run` has.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/outputs.hpp"
#include "core/merge.hpp"

namespace concbench {

struct MergeConfig {
  std::vector<std::string> files;
  MergeOptions options;
  OutputConfig output;
};

// Adds the `merge` subcommand and its options, bound to `config`.
CLI::App* AddMergeCommand(CLI::App& app, MergeConfig& config);

// Returns the exit status: 0 merged, every result verified and every claim held; 1 merged, but
// a result is not verified or a claim did not hold; 2 bad input or files that do not belong
// together (nothing is written).
int ExecuteMerge(const MergeConfig& config);

}  // namespace concbench
