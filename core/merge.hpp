// Results files put together into one (`concbench merge`): the shards of a suite measured on
// several machines, each result keeping the context it was measured in.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace concbench {

struct MergeOptions {
  bool allow_different_builds = false;  // files from builds of other versions or compilers
  bool allow_different_suites = false;  // shards of other suites, plans or shard counts
  bool allow_overlap = false;           // a point in several files: the last file's copy wins
};

struct MergedResults {
  Context context;              // the first file's
  std::vector<Result> results;  // in plan order when the shards tell it, each with its context
  std::vector<ExpectationOutcome> outcomes;         // the suite's claims over every result
  nlohmann::json extra = nlohmann::json::object();  // "suite", "expectations", "merged"
  std::vector<std::string> warnings;                // missing shards, points without results
  bool claims_rechecked = false;  // false: the outcomes are the shards' own, put together
};

// Reads the results files at `paths` and puts their results together. Refuses (nullopt, *error
// naming the files and the reason): an unreadable or malformed file, files from different
// builds (version, commit, compiler, build type), shards of different plans or shard counts, and
// a point measured in two files, each unless `options` allows it. A missing shard is a warning.
// The suite's claims are checked again over all the results when its file is still there,
// unchanged (the shards' suite_hash); else the shards' outcomes are kept.
std::optional<MergedResults> MergeResultsFiles(const std::vector<std::string>& paths,
                                               const MergeOptions& options, std::string* error);

}  // namespace concbench
