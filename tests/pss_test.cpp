// util/pss: smaps_rollup's Pss read right, and a sampler that counts shared pages once and
// leaves no thread behind.
#include "util/pss.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iterator>
#include <thread>
#include <vector>

#include "tests/sanitized.hpp"
namespace concbench {
namespace {

using namespace std::chrono_literals;

// As Linux 6.1 writes /proc/PID/smaps_rollup.
constexpr std::string_view kRollup =
    "55d0c3a4e000-7ffd8a5f1000 ---p 00000000 00:00 0                          [rollup]\n"
    "Rss:              212480 kB\n"
    "Pss:              106931 kB\n"
    "Pss_Dirty:        104104 kB\n"
    "Pss_Anon:         104088 kB\n"
    "Pss_File:           2843 kB\n"
    "Shared_Clean:       3316 kB\n"
    "Private_Dirty:      4100 kB\n"
    "Swap:                  0 kB\n"
    "SwapPss:               0 kB\n";

std::size_t ThreadCount() {
  auto tasks = std::filesystem::directory_iterator("/proc/self/task");
  return static_cast<std::size_t>(std::distance(tasks, std::filesystem::directory_iterator()));
}

TEST(Pss, ReadsThePssLineNotItsNeighbours) {
  EXPECT_EQ(ParsePssBytes(kRollup), 106931L * 1024);
  EXPECT_EQ(ParsePssBytes("Rss: 8 kB\nPss_Anon: 4 kB\n"), -1);  // Pss_Anon is not Pss
  EXPECT_EQ(ParsePssBytes("Pss:\t12 kB"), 12L * 1024);          // no final newline
  EXPECT_EQ(ParsePssBytes("Pss: kB\n"), -1);
  EXPECT_EQ(ParsePssBytes(""), -1);
}

TEST(Pss, ReadsThisProcessAndNotAMissingOne) {
  long self = ReadPssBytes(0);
  ASSERT_GT(self, 0) << "needs Linux 4.14+";
  EXPECT_GT(ReadPssBytes(::getpid()), 0);
  EXPECT_EQ(ReadPssBytes(-5), -1);
}

TEST(Pss, AForkedChildSharesItsParentsPagesOnce) {
  if (testing::kSanitized) GTEST_SKIP() << "sanitizers' shadow memory changes the figures";
  std::vector<char> block(64 << 20, 1);  // touched: resident in the parent
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(ready[1], &byte, 1);
    ::pause();
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  std::size_t threads = ThreadCount();
  long peak = 0;
  {
    PssSampler sampler(5ms);
    EXPECT_EQ(ThreadCount(), threads + 1);
    sampler.Add(child);
    std::this_thread::sleep_for(30ms);
    sampler.SampleNow();
    sampler.Remove(child);
    peak = sampler.Stop();
    EXPECT_EQ(ThreadCount(), threads);
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  auto size = static_cast<long>(block.size());
  EXPECT_GT(peak, size * 9 / 10);  // the block, counted ...
  EXPECT_LT(peak, size * 3 / 2);   // ... once, not once per process (2×)
}

}  // namespace
}  // namespace concbench
