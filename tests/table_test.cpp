#include "reports/table.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "results/statistics.hpp"
#include "tests/golden_results.hpp"
#include "tests/sample_result.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

using testing::SampleResult;

// A run column (B has a run name), no parameters column (no parameter varies within a
// workload), command columns (B's tasks ran commands), widths counted in code points, then
// metrics, warnings and problems per result.
TEST(Table, GoldenOutputWithRunsMetricsAndWarnings) {
  std::ostringstream out;
  WriteTable(out, testing::GoldenResults(), {.color = false, .verbose = true});
  EXPECT_EQ(out.str(),
            "run   workload  engine      median ± stddev        min … max             relative  eff"
            "iciency     user      sys  peak RSS  cmd CPU   cmd RSS                            task"
            "s (all runs)  verified\n"
            "      sleep     sequential  500 ms ± 250 ms  250 ms … 750 ms            reference     "
            "  60.0%   125 ms   125 ms  4.00 MiB        —         —                                "
            "       12 ok       yes\n"
            "fast  primes    pool        250 ms ± 125 ms  125 ms … 375 ms  2.50 ± 0.25× slower     "
            "  80.0%  62.5 ms  62.5 ms  1.50 KiB   750 ms  2.00 MiB  6 ok, 1 failed, 1 cancelled, 1"
            " not started        NO\n"
            "primes on pool: checked 3, method trial division\n"
            "warning: sleep on sequential: a warning\n"
            "primes on pool: task 1 failed: boom\n");
}

TEST(Table, GoldenOutput) {
  std::vector<Result> results = {SampleResult("sequential", 5.0), SampleResult("thread", 3.0)};
  results[1].verified = false;
  results[1].problems = {"task 1 failed: boom"};
  FillRelative(results, "", "sequential");
  std::ostringstream out;
  WriteTable(out, results, {.color = false});
  EXPECT_EQ(out.str(),
            "workload  engine      median ± stddev        min … max             relative  efficienc"
            "y     user      sys  peak RSS  tasks (all runs)  verified\n"
            "sleep     sequential  5.00 s ± 0.00 s  5.00 s … 5.00 s            reference       60.0"
            "%  1.00 ms  2.00 ms  4.00 MiB              4 ok       yes\n"
            "sleep     thread      3.00 s ± 0.00 s  3.00 s … 3.00 s  1.67 ± 0.00× faster      100.0"
            "%  1.00 ms  2.00 ms  4.00 MiB              4 ok        NO\n"
            "sleep on thread: task 1 failed: boom\n");
}

TEST(Table, FormatsUnits) {
  EXPECT_EQ(FormatSeconds(1.23456), "1.23 s");
  EXPECT_EQ(FormatSeconds(0.0123), "12.3 ms");
  EXPECT_EQ(FormatSeconds(0.000123), "123 µs");
  EXPECT_EQ(FormatSeconds(2e-8), "20.0 ns");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1536), "1.50 KiB");
  EXPECT_EQ(FormatBytes(5.0 * 1024 * 1024), "5.00 MiB");
  EXPECT_EQ(FormatBytes(5e12), "4.55 TiB");
  EXPECT_EQ(FormatBytes(9e18), "7.81 EiB");
}

}  // namespace
}  // namespace concbench
