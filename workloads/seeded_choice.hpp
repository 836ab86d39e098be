// The tasks that failures by design hit: --fail-rate (any workload's tasks throw) and
// --crash-rate (the process engine's workers die). The choice depends on --seed, the option's
// salt and the task index alone, so every engine chooses the same tasks.
#pragma once

#include <cstddef>
#include <cstdint>

#include "concbench/params.hpp"

namespace concbench {

// True for about `rate` of all indices: a hash of (seed, salt, index) below rate.
bool ChosenBySeed(std::uint64_t seed, std::size_t index, double rate, std::uint64_t salt);

// About `rate` of a run's tasks, chosen by `seed`; one salt per option keeps the options'
// choices independent.
struct SeededChoice {
  static constexpr std::uint64_t kFailSalt = 0xfa11;    // --fail-rate
  static constexpr std::uint64_t kCrashSalt = 0xc4a54;  // --crash-rate

  double rate = 0;
  std::uint64_t seed = 0;
  std::uint64_t salt = 0;

  bool chosen(std::size_t index) const { return ChosenBySeed(seed, index, rate, salt); }
};

// --seed: shared by --fail-rate and --crash-rate.
ParamSpec SeedParam();

}  // namespace concbench
