#include "reports/table.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// A run column (B has a run name), no parameters column (no parameter varies within a
// workload), widths counted in code points, then metrics, warnings and problems per result.
TEST(Table, GoldenOutputWithRunsMetricsAndWarnings) {
  std::ostringstream out;
  WriteTable(out, testing::GoldenResults(), {.color = false});
  EXPECT_EQ(out.str(),
            "run   workload  engine      median ± stddev        min … max             relative"
            "  efficiency     user      sys  peak RSS                tasks ok/failed  verified\n"
            "      sleep     sequential  500 ms ± 250 ms  250 ms … 750 ms            reference"
            "       60.0%   125 ms   125 ms  4.00 MiB                           12/0       yes\n"
            "fast  primes    pool        250 ms ± 125 ms  125 ms … 375 ms  2.50 ± 0.25× slower"
            "       80.0%  62.5 ms  62.5 ms  1.50 KiB  6/1 (1 cancelled) (1 pending)        NO\n"
            "primes on pool: checked 3, method trial division\n"
            "warning: sleep on sequential: a warning\n"
            "primes on pool: task 1 failed: boom\n");
}

}  // namespace
}  // namespace concbench
