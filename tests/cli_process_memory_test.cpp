// A result's memory through the real binary: the process engine's workers share the pages the
// harness held before the fork (the run's records), and the result counts them once.
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.hpp"
#include "tests/sanitized.hpp"

namespace concbench::testing {
namespace {

TEST_F(Cli, ProcessWorkersCountPagesSharedWithTheHarnessOnce) {
  if (kSanitized) GTEST_SKIP() << "sanitizers' shadow memory changes the figures";
  fs::path json = dir_ / "memory.json";
  // 300,000 records of about 112 bytes each, written before the workers fork.
  Outcome o =
      Run({"run", "-w", "spin", "--grain", "0", "--tasks", "300000", "-e", "process,sequential",
           "--workers", "4", "-r", "1", "--warmup", "0", "-q", "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 2u);
  long sequential = 0;
  for (const auto& r : doc["results"]) {
    if (r["engine"] == "sequential") {
      EXPECT_EQ(r["memory_method"], "rss");
      EXPECT_EQ(r["peak_rss_sum_bytes"], r["peak_rss_bytes"]);
      sequential = r["peak_rss_bytes"].get<long>();
    }
  }
  for (const auto& r : doc["results"]) {
    if (r["engine"] != "process") continue;
    EXPECT_EQ(r["memory_method"], "pss") << r.dump();
    long pss = r["peak_rss_bytes"].get<long>();
    long sum = r["peak_rss_sum_bytes"].get<long>();
    // The records (about 32 MiB) are held by the harness and mapped by each of the 4 workers:
    // the per-process sum counts them 5 times, the PSS once, as the sequential run does.
    EXPECT_GT(pss, 32L << 20);
    // Counted per worker it would be five times the records; once, it is the sequential run's
    // peak and what each worker holds of its own (a few MiB).
    EXPECT_LT(pss, sequential + 4 * (16L << 20)) << "sequential: " << sequential;
    EXPECT_GT(sum, 2 * pss);
    for (const auto& warning : r["warnings"]) {
      EXPECT_EQ(warning.get<std::string>().find("smaps_rollup"), std::string::npos) << warning;
    }
  }
}

}  // namespace
}  // namespace concbench::testing
