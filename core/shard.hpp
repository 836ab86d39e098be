// Shards: a run's points split into N balanced slices (`run --shard K/N`), so that N machines
// measure one suite together and `merge` puts their results files back into one.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan.hpp"
#include "results/result.hpp"

namespace concbench {

// The K-th (from 1) of N slices.
struct ShardSpec {
  std::size_t index = 1;
  std::size_t count = 1;
};

// "K/N" read as a ShardSpec: K and N whole numbers, 1 <= K <= N <= kMaxShards. On bad input
// returns nullopt and sets *error to the reason ("3/2: K is above N").
inline constexpr std::size_t kMaxShards = 10000;
std::optional<ShardSpec> ParseShard(std::string_view text, std::string* error);

// The cores of the machine the estimates are made for, whatever this one has: every machine must
// deal the same slices.
inline constexpr unsigned kEstimateCores = 2;

// The seconds `point` is expected to take in all, before it ran: one run is the workload's floor
// as if every task completed (Workload::ideal_seconds on the engine's lanes and kEstimateCores
// cores; an engine's workers that default to the machine's cores count as kEstimateCores), plus
// 1 ms a run and 20 us a task for the harness, capped at the engine's --timeout; times the warmup
// and the measured runs `spec`'s policy gives such a run. A workload whose floor is measured
// (primes, file, exec, http --url) counts only the nominal costs.
double EstimatedSeconds(const Point& point, const RunSpec& spec);

// Deals the items of `costs` into `count` shards, longest first, each to the shard with the
// least cost so far (LPT; ties: the earlier item, the lower shard). Each shard's items are in
// their original order. The same costs and count always give the same shards.
std::vector<std::vector<std::size_t>> AssignShards(const std::vector<double>& costs,
                                                   std::size_t count);

// A point's identity across files: "[run: ]workload on engine[ (swept=value, ...)]".
std::string PointId(const std::string& run, const std::string& label);
// The PointId of the point `result` measured.
std::string ResultPointId(const Result& result);

// A fingerprint of `text`: 16 hex digits (FNV-1a, 64 bits).
std::string ContentHash(std::string_view text);

// A fingerprint of what `specs` and `points` measure (the suite file's text when there is one,
// the time scale, each spec's parameters and every point's identity), the same on every machine:
// shards of one plan carry the same one. 16 hex digits (FNV-1a, 64 bits).
std::string PlanHash(std::string_view suite_text, double time_scale,
                     const std::vector<RunSpec>& specs, const std::vector<Point>& points);

// One shard of a plan, as `run --shard` takes it.
struct Shard {
  ShardSpec spec;
  std::vector<std::size_t> points;            // indices into the plan's points, in plan order
  double estimated_seconds = 0;               // the sum of its points' estimates
  std::vector<double> all_estimated_seconds;  // every shard's, for the message
};

// Slices `points` (made from `specs`) into `spec.count` shards and returns shard `spec.index`.
// The points of one run's sweep value (its engines, which speedup and relative compare) stay
// together, as one item of AssignShards costing the sum of their EstimatedSeconds.
Shard TakeShard(const std::vector<Point>& points, const std::vector<RunSpec>& specs,
                ShardSpec spec);

// `specs` with only the expectations some point of `points` answers (its run, and its engine or
// any): the claims a shard can check.
std::vector<RunSpec> ClaimsOfPoints(const std::vector<RunSpec>& specs,
                                    const std::vector<Point>& points);

// Where a shard's points come from: the whole plan's size and fingerprint, and its suite.
struct ShardOrigin {
  std::size_t total_points = 0;
  std::string plan_hash;   // PlanHash
  std::string suite_path;  // "" without a suite
  std::string suite_hash;  // ContentHash of the suite file's text; "" without a suite
};

// The results file's "shard" block of `shard`, whose points are `points` (made from `specs`):
// {"index", "count", "points": [PointId, ...], "plan_indices": [...], "total_points",
// "estimated_seconds", "plan_hash", "suite", "suite_hash"} (the last two null without a suite).
nlohmann::json ShardToJson(const Shard& shard, const std::vector<Point>& points,
                           const std::vector<RunSpec>& specs, const ShardOrigin& origin);

// "" when `shard` is a "shard" block as ShardToJson writes it, else why not ("index 4 is not
// from 1 to 3").
std::string ShardBlockProblem(const nlohmann::json& shard);

// A results file's "shard" block, already checked by ShardBlockProblem, and where it comes from.
struct ShardFile {
  std::string path;
  const nlohmann::json* shard;
};

// "" when `files` can be merged, else why not, naming both files: shards of different plans
// (plan_hash, count, total_points) unless `allow_different_plans`; the same shard twice, or a
// plan index claimed by two shards, unless `allow_overlap`.
std::string ShardSetProblem(const std::vector<ShardFile>& files, bool allow_different_plans,
                            bool allow_overlap);

}  // namespace concbench
