// google/benchmark's JSON format, so that its tools/compare.py reads concbench results
// unchanged: a "context" block, then per result one "iteration" entry per repetition and
// mean, median, stddev and cv aggregates. Times are in nanoseconds (google/benchmark's default;
// compare.py prints them without decimals); cpu_time is the repetition's user + system CPU. An
// unverified result's entries carry error_occurred and error_message (its unverified_reason) and
// it has no aggregates, as google/benchmark writes a benchmark that errored. Names carry only
// the parameters the user set or swept (see BenchmarkName). Each fitted sweep (`complexity`)
// ends the list with google/benchmark's "NAME_BigO" (real_coefficient and cpu_coefficient in
// ns, big_o) and "NAME_RMS" (rms, a fraction) aggregates, NAME its results' name without the
// swept parameter; the order is the wall time's.
#pragma once

#include <ostream>
#include <vector>

#include "results/complexity.hpp"
#include "results/result.hpp"

namespace concbench {

void WriteGbench(std::ostream& out, const Context& context, const std::vector<Result>& results,
                 const std::vector<ComplexityGroup>& complexity = {});

}  // namespace concbench
