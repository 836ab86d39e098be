// The one percentile definition of the project: linear interpolation between closest ranks
// (numpy's default). A leaf: includes nothing of the project.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace concbench {

// The p-th percentile (0..100) of `sorted`, which must be in ascending order; 0 when empty.
inline double PercentileOfSorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return 0;
  double rank = std::clamp(p, 0.0, 100.0) / 100 * static_cast<double>(sorted.size() - 1);
  auto low = static_cast<std::size_t>(std::floor(rank));
  std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (rank - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

// The p-th percentile (0..100) of `values`, in any order; 0 when empty.
inline double Percentile(std::span<const double> values, double p) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return PercentileOfSorted(sorted, p);
}

}  // namespace concbench
