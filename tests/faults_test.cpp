// Failures by design: which tasks a seed and a rate choose.
#include <gtest/gtest.h>

#include <cstddef>

#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

TEST(Faults, TheChoiceDependsOnlyOnSeedAndIndexAndMatchesTheRate) {
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < 20000; ++i) {
    bool a = ChosenBySeed(5, i, 0.25, 1);
    EXPECT_EQ(a, ChosenBySeed(5, i, 0.25, 1));
    chosen += a;
  }
  EXPECT_NEAR(static_cast<double>(chosen) / 20000, 0.25, 0.02);
  EXPECT_FALSE(ChosenBySeed(5, 3, 0, 1));
  EXPECT_TRUE(ChosenBySeed(5, 3, 1, 1));
  // Another seed chooses other tasks.
  std::size_t same = 0;
  for (std::size_t i = 0; i < 1000; ++i)
    same += ChosenBySeed(5, i, 0.5, 1) == ChosenBySeed(6, i, 0.5, 1);
  EXPECT_LT(same, 700u);
}

}  // namespace
}  // namespace concbench
