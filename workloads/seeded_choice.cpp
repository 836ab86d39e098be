#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

// SplitMix64's finaliser: a well-mixed 64-bit hash.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

bool ChosenBySeed(std::uint64_t seed, std::size_t index, double rate, std::uint64_t salt) {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  std::uint64_t hash = Mix(Mix(seed ^ salt) ^ static_cast<std::uint64_t>(index));
  // The top 53 bits as a uniform double in [0, 1).
  return static_cast<double>(hash >> 11) * 0x1.0p-53 < rate;
}

ParamSpec SeedParam() {
  return {"seed", ParamType::kWhole, "1", "chooses which tasks --fail-rate and --crash-rate hit"};
}

}  // namespace concbench
