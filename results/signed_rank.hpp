// The Wilcoxon signed-rank test: is the median of paired differences 0? Pure functions; the
// paired comparisons of `concbench ab` use it on the log ratios of interleaved rounds.
#pragma once

#include <span>

namespace concbench {

struct SignedRank {
  double w_plus = 0;     // the sum of the ranks of the positive differences (ties: mean ranks)
  double p_value = 1;    // two-sided
  bool exact = false;    // from the exact distribution (at most 30 non-zero values, no ties)
  std::size_t used = 0;  // the differences that are not 0 (zeros are dropped, as Wilcoxon did)
};

// The two-sided signed-rank test of `differences`: exact when at most 30 are non-zero and their
// absolute values have no ties; otherwise the normal approximation with tie and continuity
// corrections. No non-zero difference: p = 1.
SignedRank WilcoxonSignedRank(std::span<const double> differences);

}  // namespace concbench
