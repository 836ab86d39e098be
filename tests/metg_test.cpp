// METG: where the efficiency curve crosses the threshold, and the grains of a sweep.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <vector>

#include "core/metg.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

TEST(Metg, CrossingBetweenPointsIsInterpolatedInLogGrain) {
  std::vector<CurvePoint> curve = {{1e-3, 1.0}, {1e-4, 0.9}, {1e-5, 0.3}, {1e-6, 0.05}};
  Metg metg = ComputeMetg(curve, 0.5);
  ASSERT_EQ(metg.status, MetgStatus::kCrossed);
  // 0.9 -> 0.3 over one decade: 0.5 is two thirds of the way down, at 10^(-4 - 2/3).
  EXPECT_NEAR(metg.grain_seconds, std::pow(10.0, -4.0 - 2.0 / 3.0), 1e-12);
  EXPECT_FALSE(metg.rises_again);
}

TEST(Metg, CrossingExactlyAtAPointIsThatPoint) {
  std::vector<CurvePoint> curve = {{1e-6, 0.1}, {1e-4, 0.5}, {1e-3, 0.8}};  // any order
  Metg metg = ComputeMetg(curve, 0.5);
  ASSERT_EQ(metg.status, MetgStatus::kCrossed);
  EXPECT_NEAR(metg.grain_seconds, 1e-4, 1e-15);
}

TEST(Metg, NeverCrossingIsReportedWithItsBound) {
  std::vector<CurvePoint> low = {{1e-3, 0.4}, {1e-4, 0.2}};
  Metg never = ComputeMetg(low, 0.5);
  EXPECT_EQ(never.status, MetgStatus::kNeverAbove);
  EXPECT_DOUBLE_EQ(never.grain_seconds, 1e-3);
  std::vector<CurvePoint> high = {{1e-3, 1.0}, {1e-4, 0.95}};
  Metg always = ComputeMetg(high, 0.5);
  EXPECT_EQ(always.status, MetgStatus::kAlwaysAbove);
  EXPECT_DOUBLE_EQ(always.grain_seconds, 1e-4);
  EXPECT_EQ(ComputeMetg({}, 0.5).status, MetgStatus::kEmpty);
}

TEST(Metg, NoisyRiseAfterTheFirstDropDoesNotCount) {
  // Falls below 50% between 100us and 10us, then a noisy point at 1us is above again.
  std::vector<CurvePoint> curve = {
      {1e-3, 1.0}, {1e-4, 0.7}, {1e-5, 0.1}, {1e-6, 0.6}, {1e-7, 0.05}};
  Metg metg = ComputeMetg(curve, 0.5);
  ASSERT_EQ(metg.status, MetgStatus::kCrossed);
  // 0.7 -> 0.1: 0.5 is a third of the way, at 10^(-4 - 1/3).
  EXPECT_NEAR(metg.grain_seconds, std::pow(10.0, -4.0 - 1.0 / 3.0), 1e-12);
  EXPECT_TRUE(metg.rises_again);
  // A dip below at the largest grain, before the curve ever reaches the threshold, is skipped.
  std::vector<CurvePoint> dip_first = {{1e-3, 0.45}, {1e-4, 0.9}, {1e-5, 0.3}};
  Metg later = ComputeMetg(dip_first, 0.5);
  ASSERT_EQ(later.status, MetgStatus::kCrossed);
  EXPECT_LT(later.grain_seconds, 1e-4);
  EXPECT_GT(later.grain_seconds, 1e-5);
}

TEST(Metg, GrainsAreGeometricFromMaxDownToMin) {
  auto grains = MetgGrains(10ms, 10us, 3);
  ASSERT_EQ(grains.size(), 10u);
  EXPECT_EQ(grains.front(), 10ms);
  EXPECT_EQ(grains[3], 1ms);
  EXPECT_EQ(grains.back(), 10us);
  EXPECT_EQ(grains[1].count(), 4641589);  // 10ms / 10^(1/3), to the nanosecond
  auto odd = MetgGrains(1ms, 300us, 1);
  EXPECT_EQ(odd, (std::vector<std::chrono::nanoseconds>{1ms, 300us}));
  EXPECT_EQ(MetgGrains(1ms, 1ms, 3).size(), 1u);
}

}  // namespace
}  // namespace concbench
