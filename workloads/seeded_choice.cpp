#include "workloads/seeded_choice.hpp"

#include <cmath>

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

std::uint64_t SeededPosition(std::uint64_t index, std::uint64_t count, std::uint64_t key) {
  unsigned half = 1;
  while (half < 32 && (std::uint64_t{1} << (2 * half)) < count) ++half;
  std::uint64_t mask = (std::uint64_t{1} << half) - 1;
  do {  // cycle walking: a permutation of [0, 4^half) visits [0, count) again within 4 steps
    std::uint64_t left = index >> half;
    std::uint64_t right = index & mask;
    for (std::uint64_t round = 0; round < 4; ++round) {
      std::uint64_t next = left ^ (Mix(key ^ (round << 56) ^ right) & mask);
      left = right;
      right = next;
    }
    index = (left << half) | right;
  } while (index >= count);
  return index;
}

std::size_t ChosenCount(std::size_t count, double rate) {
  if (rate <= 0) return 0;
  if (rate >= 1) return count;
  return static_cast<std::size_t>(std::llround(rate * static_cast<double>(count)));
}

bool ChosenBySeed(std::uint64_t seed, std::size_t index, std::size_t count, double rate,
                  std::uint64_t salt) {
  std::size_t chosen = ChosenCount(count, rate);
  if (chosen == 0 || index >= count) return false;
  if (chosen == count) return true;
  return SeededPosition(index, count, Mix(seed ^ salt)) < chosen;
}

ParamSpec SeedParam() {
  return {"seed", ParamType::kWhole, "1", "chooses which tasks --fail-rate and --crash-rate hit"};
}

}  // namespace concbench
