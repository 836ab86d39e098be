#include "reports/github.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// The long list parameter is named by its length and the FNV-1a hash of its JSON text,
// ["10ms","20ms","30ms","40ms"] -> 4211d401.
TEST(Github, GoldenOutput) {
  std::ostringstream out;
  WriteGithub(out, testing::GoldenResults());
  EXPECT_EQ(out.str(), R"([
  {
    "extra": "median of 3 repetitions; 95% CI 0.25 … 0.75 s; mean 0.5 s; min 0.25 s; max 0.75 s; efficiency 60.0%; verified yes",
    "name": "sleep/sequential/delays:4x4211d401/tasks:4",
    "range": "± 0.25",
    "unit": "s",
    "value": 0.5
  },
  {
    "extra": "median of 3 repetitions; 95% CI 0.125 … 0.375 s; mean 0.25 s; min 0.125 s; max 0.375 s; efficiency 80.0%; verified no",
    "name": "fast/primes/pool/numbers:5,7,11/workers:2",
    "range": "± 0.125",
    "unit": "s",
    "value": 0.25
  }
]
)");
}

}  // namespace
}  // namespace concbench
