// The exact bootstrap distribution of a median, against every resample enumerated, and the
// intervals built on it.
#include "results/bootstrap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

namespace concbench {
namespace {

// Every one of the n^n equally likely resamples of `values`, and the chance of each median.
std::map<double, double> Enumerated(const std::vector<double>& values) {
  std::size_t n = values.size(), total = 1;
  for (std::size_t i = 0; i < n; ++i) total *= n;
  std::map<double, double> chances;
  std::vector<double> sample(n);
  for (std::size_t code = 0; code < total; ++code) {
    std::size_t rest = code;
    for (double& value : sample) {
      value = values[rest % n];
      rest /= n;
    }
    std::sort(sample.begin(), sample.end());
    double median = n % 2 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2;
    chances[median] += 1.0 / static_cast<double>(total);
  }
  return chances;
}

TEST(Bootstrap, TheExactDistributionIsWhatEveryResampleGives) {
  for (const std::vector<double>& values : std::vector<std::vector<double>>{{5},
                                                                            {1, 3},
                                                                            {3, 1, 2},
                                                                            {1, 2, 2, 7},
                                                                            {4, 1, 9, 9, 2},
                                                                            {6, 1, 3, 3, 8, 2},
                                                                            {1, 1, 1, 1}}) {
    std::map<double, double> expected = Enumerated(values);
    std::vector<std::pair<double, double>> exact = ExactMedianDistribution(values);
    ASSERT_EQ(exact.size(), expected.size()) << values.size() << " values";
    for (const auto& [value, chance] : exact) {
      ASSERT_TRUE(expected.count(value)) << value;
      EXPECT_NEAR(chance, expected[value], 1e-12) << value << " of " << values.size();
    }
  }
}

TEST(Bootstrap, IntervalsAreTheDistributionsCentral95) {
  // {1, 3}: medians 1 (1/4), 2 (1/2), 3 (1/4).
  Interval two = BootstrapMedianCi(std::vector<double>{3, 1});
  EXPECT_EQ(two.low, 1);
  EXPECT_EQ(two.high, 3);
  Interval one = BootstrapMedianCi(std::vector<double>{2.5});
  EXPECT_EQ(one.low, 2.5);
  EXPECT_EQ(one.high, 2.5);
  // Twice as slow, with the same spread: the ratio's interval holds 2 and is the same both
  // ways round, inverted.
  std::vector<double> base = {1.0, 1.1, 0.9, 1.05, 0.95}, slow = {2.0, 2.2, 1.8, 2.1, 1.9};
  Interval ratio = BootstrapRatioCi(base, slow);
  Interval inverse = BootstrapRatioCi(slow, base);
  EXPECT_LT(ratio.low, 2);
  EXPECT_GT(ratio.high, 2);
  EXPECT_NEAR(ratio.low, 1 / inverse.high, 1e-12);
  EXPECT_NEAR(ratio.high, 1 / inverse.low, 1e-12);
  // A base whose medians are all 0 has no ratio.
  Interval none = BootstrapRatioCi(std::vector<double>{0, 0}, std::vector<double>{1, 2});
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 0);
}

TEST(Bootstrap, LargeSamplesAreResampledAndAgreeWithTheExactOnesInShape) {
  std::vector<double> values;
  for (int i = 0; i < 101; ++i) values.push_back(100 + (i * 37) % 101);  // 100 .. 200, shuffled
  Interval resampled = BootstrapMedianCi(values);
  values.pop_back();  // 100 values: exact
  Interval exact = BootstrapMedianCi(values);
  EXPECT_LT(resampled.low, 150);
  EXPECT_GT(resampled.high, 150);
  EXPECT_NEAR(resampled.low, exact.low, 5);
  EXPECT_NEAR(resampled.high, exact.high, 5);
}

}  // namespace
}  // namespace concbench
