// `primes`: the CPU-bound workload. Task i decides whether n_i is prime by trial division
// exactly as the tutorial's is_prime: 2, then odd divisors up to floor(sqrt(n)).
// Floor: max(longest task, total task CPU / min(lanes, cores)), from each task's thread CPU time.
// Check: every answer agrees with a deterministic Miller-Rabin test.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> PrimesParams();

// Reads --numbers, or --count and --min (the first `count` primes at or above `min`).
std::unique_ptr<Workload> MakePrimesWorkload(const Params& params);

// Trial division as the tutorial writes it; checks `stop` every few thousand divisors.
bool IsPrimeTrialDivision(std::uint64_t n, const std::stop_token& stop);
// Deterministic Miller-Rabin for every 64-bit n: an independent check of the above.
bool IsPrimeMillerRabin(std::uint64_t n);

}  // namespace concbench
