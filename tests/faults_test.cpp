// Failures by design: which tasks a seed and a share choose.
#include <gtest/gtest.h>

#include <cstddef>
#include <set>

#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

std::size_t CountChosen(std::uint64_t seed, std::size_t count, double rate) {
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < count; ++i) chosen += ChosenBySeed(seed, i, count, rate, 1);
  return chosen;
}

TEST(Faults, AShareHitsRoundOfShareTimesTasksExactly) {
  EXPECT_EQ(CountChosen(5, 4, 0.5), 2u);
  EXPECT_EQ(CountChosen(5, 20000, 0.25), 5000u);
  EXPECT_EQ(CountChosen(5, 7, 0.3), 2u);  // round(2.1)
  EXPECT_EQ(CountChosen(5, 3, 0.1), 0u);  // round(0.3)
  EXPECT_EQ(CountChosen(5, 1, 0.5), 1u);  // round half away from zero
  EXPECT_EQ(CountChosen(5, 10, 0), 0u);
  EXPECT_EQ(CountChosen(5, 10, 1), 10u);
  EXPECT_EQ(ChosenCount(1000, 0.123), 123u);
  EXPECT_FALSE(ChosenBySeed(5, 10, 10, 1, 1));  // an index past the count is never chosen
}

TEST(Faults, TheChoiceDependsOnlyOnSeedCountAndIndex) {
  for (std::size_t i = 0; i < 1000; ++i)
    EXPECT_EQ(ChosenBySeed(5, i, 1000, 0.25, 1), ChosenBySeed(5, i, 1000, 0.25, 1));
  // Another seed chooses other tasks, as many of them.
  std::size_t same = 0;
  for (std::size_t i = 0; i < 1000; ++i)
    same += ChosenBySeed(5, i, 1000, 0.5, 1) == ChosenBySeed(6, i, 1000, 0.5, 1);
  EXPECT_LT(same, 700u);
  EXPECT_EQ(CountChosen(6, 1000, 0.5), 500u);
}

TEST(Faults, SeededPositionIsAPermutation) {
  for (std::uint64_t count : {1u, 2u, 3u, 5u, 16u, 17u, 1000u, 4097u}) {
    std::set<std::uint64_t> seen;
    for (std::uint64_t i = 0; i < count; ++i) {
      std::uint64_t position = SeededPosition(i, count, 77);
      EXPECT_LT(position, count);
      seen.insert(position);
    }
    EXPECT_EQ(seen.size(), count);
  }
}

}  // namespace
}  // namespace concbench
