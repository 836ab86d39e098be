// The process engine's memory: the harness's and its workers' PSS, so that the pages the workers
// inherit at the fork count once, not once per worker; the old per-process sum kept, labelled.
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <iterator>
#include <optional>
#include <stop_token>
#include <vector>

#include "core/measurement.hpp"
#include "tests/sanitized.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

constexpr long kBlock = 200L << 20;

std::size_t ThreadCount() {
  auto tasks = std::filesystem::directory_iterator("/proc/self/task");
  return static_cast<std::size_t>(std::distance(tasks, std::filesystem::directory_iterator()));
}

// 200 MiB, every page written: resident in this process, then shared with each worker it forks.
std::vector<char> TouchedBlock() { return std::vector<char>(static_cast<std::size_t>(kBlock), 7); }

TEST(ProcessMemory, SharedPagesCountOnceOverFourWorkers) {
  if (testing::kSanitized) GTEST_SKIP() << "sanitizers' shadow memory changes the figures";
  std::vector<char> block = TouchedBlock();
  auto workload = testing::MakeWorkload("sleep", {{"tasks", "8"}, {"delay", "30ms"}});
  auto engine = testing::MakeEngine("process", {{"workers", "4"}});
  std::size_t threads = ThreadCount();
  testing::Measured m = testing::Measure(*workload, *engine);
  EXPECT_EQ(ThreadCount(), threads);  // the sampler's thread is joined with the run
  EXPECT_TRUE(testing::NoChildrenLeft());
  EXPECT_EQ(m.run.error, "");
  EXPECT_GT(m.run.peak_pss_bytes, kBlock);
  EXPECT_LT(m.run.peak_pss_bytes, kBlock * 8 / 5);       // not 5 × (parent and four workers)
  EXPECT_GT(m.run.children.peak_rss_bytes, 3 * kBlock);  // each worker's RSS holds the block
  EXPECT_EQ(block[12345], 7);
}

TEST(ProcessMemory, TheResultReportsPssAndKeepsTheSumLabelled) {
  if (testing::kSanitized) GTEST_SKIP() << "sanitizers' shadow memory changes the figures";
  std::vector<char> block = TouchedBlock();
  auto workload = testing::MakeWorkload("sleep", {{"tasks", "8"}, {"delay", "20ms"}});
  auto engine = testing::MakeEngine("process", {{"workers", "4"}});
  MeasureOptions options;
  options.repetitions = 2;
  options.warmup = 0;
  std::optional<Result> result = MeasurePair(*workload, *engine, options, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->memory_method, "pss");
  EXPECT_GT(result->peak_rss_bytes, kBlock);
  EXPECT_LT(result->peak_rss_bytes, kBlock * 8 / 5);
  ASSERT_EQ(result->peak_rss_samples.size(), 2u);
  for (long peak : result->peak_rss_samples) EXPECT_GT(peak, kBlock);
  EXPECT_GT(result->peak_rss_sum_bytes, 4 * kBlock);  // the harness and each worker, summed
  for (const std::string& warning : result->warnings) {
    EXPECT_EQ(warning.find("smaps_rollup"), std::string::npos) << warning;
  }
  EXPECT_EQ(block[54321], 7);
}

TEST(ProcessMemory, EnginesInTheHarnessProcessKeepItsPeakRss) {
  auto workload = testing::MakeWorkload("sleep", {{"tasks", "4"}, {"delay", "1ms"}});
  auto engine = testing::MakeEngine("thread", {{"workers", "2"}});
  MeasureOptions options;
  options.repetitions = 1;
  options.warmup = 0;
  std::optional<Result> result = MeasurePair(*workload, *engine, options, std::stop_token());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->memory_method, "rss");
  EXPECT_GT(result->peak_rss_bytes, 0);
  EXPECT_EQ(result->peak_rss_sum_bytes, result->peak_rss_bytes);
}

}  // namespace
}  // namespace concbench
