#include "reports/github.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// The long list parameter is named by its length and the FNV-1a hash of its JSON text,
// ["10ms","20ms","30ms","40ms"] -> 4211d401.
// B is not verified: it is left out, with a warning.
TEST(Github, GoldenOutput) {
  std::ostringstream out, warnings;
  WriteGithub(out, testing::GoldenResults(), warnings);
  EXPECT_EQ(out.str(), R"([
  {
    "extra": "median of 3 repetitions; 95% CI 0.25 … 0.75 s; mean 0.5 s; min 0.25 s; max 0.75 s; efficiency 60.0%",
    "name": "sleep/sequential/delays:4x4211d401/tasks:4",
    "range": "± 0.25",
    "unit": "s",
    "value": 0.5
  }
]
)");
  EXPECT_EQ(warnings.str(),
            "warning: --export-github: fast/primes/pool left out: not verified "
            "(task 1 failed: boom)\n");
}

TEST(Github, NoVerifiedResultIsAnEmptyListAndAWarningEach) {
  std::vector<Result> results = testing::GoldenResults();
  results[0].verified = false;
  std::ostringstream out, warnings;
  WriteGithub(out, results, warnings);
  EXPECT_EQ(out.str(), "[]\n");
  std::string text = warnings.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

}  // namespace
}  // namespace concbench
