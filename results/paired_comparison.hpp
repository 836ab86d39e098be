// Comparing two builds measured in interleaved rounds (`concbench ab`): each round ran every
// point once on each side, A and B in turn, so the machine's drift hits both; a point's samples
// are paired by round.
#pragma once

#include <vector>

#include "results/comparison.hpp"
#include "results/result.hpp"

namespace concbench {

// Compares each point of the base rounds with the point at the same place in the new rounds:
// the same run, workload and engine, and the same ordinal among the points with those three
// (the sides' parameters may differ: that can be what is compared). A point's value in a round
// is the median of that round's samples of its gating metric. The change is the median of the
// rounds' ratios new / base; its interval a bootstrap of that median; p the signed-rank test of
// the log ratios; the noise the robust spread (1.4826 MAD) of one round's ratio. A point that is
// not verified in any round of either side, or missing from one, is not comparable.
ComparisonReport CompareRounds(const std::vector<std::vector<Result>>& base_rounds,
                               const std::vector<std::vector<Result>>& new_rounds,
                               const CompareOptions& options);

// A suspected regression: regressed, or slower beyond the floor by a change the first rounds
// could not confirm (within noise).
bool Suspected(const PairComparison& pair);

// `first` with each Suspected pair replaced by that pair in `again` (the same points measured
// again in fresh rounds), the first round's verdict kept in first_round: a regression fails the
// gate only when the fresh rounds find it.
ComparisonReport ConfirmRegressions(const ComparisonReport& first, const ComparisonReport& again);

}  // namespace concbench
