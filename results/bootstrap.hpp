// Percentile-bootstrap intervals of a median and of a ratio of medians. For samples of up to
// 100 values the bootstrap distribution is computed exactly (each draw of a resample is one of
// the n values, with chance 1/n, so the resample median's chance to be each order statistic, or
// the mean of two, follows from binomial counts); beyond that, 10,000 resamples with a fixed
// seed. Either way the same data always give the same interval, and a results file of 20,000
// results is compared in about a second.
#pragma once

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace concbench {

struct Interval {
  double low = 0;
  double high = 0;
};

// The 95% percentile-bootstrap interval of the median of `values`.
Interval BootstrapMedianCi(std::span<const double> values);

// The 95% percentile-bootstrap interval of median(b) / median(a), resampling both sides
// independently; resamples whose median(a) is not above 0 are left out.
Interval BootstrapRatioCi(std::span<const double> a, std::span<const double> b);

// The exact bootstrap distribution of the median of `values` (at most 100 of them): each value a
// resample's median can take, ascending, with its probability (summing to 1).
std::vector<std::pair<double, double>> ExactMedianDistribution(std::span<const double> values);

}  // namespace concbench
