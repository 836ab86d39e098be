#include "reports/asciidoc.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

TEST(Asciidoc, GoldenOutput) {
  std::ostringstream out;
  WriteAsciidoc(out, testing::GoldenResults());
  EXPECT_EQ(out.str(),
            "[cols=\"<,<,<,>,>,>,>,>,^\", options=\"header\"]\n"
            "|===\n"
            "| workload | engine | parameters | median ± stddev | 95% CI of median | relative | "
            "efficiency | peak RSS | verified\n"
            "\n"
            "| sleep | sequential | delays=[4 values], tasks=4 | 500 ms ± 250 ms | "
            "250 ms … 750 ms | reference | 60.0% | 4.00 MiB | ✅\n"
            "\n"
            "| primes | pool (workers=2) | numbers=5,7,11 | 250 ms ± 125 ms | 125 ms … 375 ms | "
            "2.50 ± 0.25× slower | 80.0% | 1.50 KiB | ❌\n"
            "|===\n");
}

TEST(Asciidoc, EscapesTheCellSeparatorAndTakesAUnit) {
  Result r = testing::GoldenSleepResult();
  r.workload = "a|b";
  std::ostringstream out;
  WriteAsciidoc(out, {r}, TimeUnit::kSeconds);
  EXPECT_NE(out.str().find("\n| a\\|b | sequential | "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find(" | 0.500 s ± 0.250 s | 0.250 s … 0.750 s | "), std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace concbench
