// The tasks that failures by design hit: --fail-rate (any workload's tasks throw) and
// --crash-rate (the process engine's workers die). The choice depends on --seed, the option's
// salt, the task count and the task index alone, so every engine chooses the same tasks.
#pragma once

#include <cstddef>
#include <cstdint>

#include "concbench/params.hpp"

namespace concbench {

// Where index (< count) lands in a permutation of [0, count) that `key` chooses: a 4-round
// Feistel network over the smallest even number of bits covering count, walked until inside.
std::uint64_t SeededPosition(std::uint64_t index, std::uint64_t count, std::uint64_t key);

// round(rate × count) of the count indices [0, count), chosen by (seed, salt): exactly that
// many, whichever engine asks and in whatever order.
bool ChosenBySeed(std::uint64_t seed, std::size_t index, std::size_t count, double rate,
                  std::uint64_t salt);

// How many of `count` tasks a share `rate` hits: round(rate × count).
std::size_t ChosenCount(std::size_t count, double rate);

// A share of a run's tasks, chosen by `seed`; one salt per option keeps the options' choices
// independent. `tasks` is the run's task count.
struct SeededChoice {
  static constexpr std::uint64_t kFailSalt = 0xfa11;    // --fail-rate
  static constexpr std::uint64_t kCrashSalt = 0xc4a54;  // --crash-rate

  double rate = 0;
  std::uint64_t seed = 0;
  std::uint64_t salt = 0;
  std::size_t tasks = 0;

  bool chosen(std::size_t index) const { return ChosenBySeed(seed, index, tasks, rate, salt); }
};

// --seed: shared by --fail-rate and --crash-rate.
ParamSpec SeedParam();

}  // namespace concbench
