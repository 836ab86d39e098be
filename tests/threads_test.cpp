// util/threads: a group of threads that starts them all or says which one the OS refused.
#include "util/threads.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace concbench {
namespace {

// Ends the refusal a test asked for, however the test ends.
struct RefuseFrom {
  explicit RefuseFrom(std::size_t nth) { RefuseThreadsForTesting(nth); }
  ~RefuseFrom() { RefuseThreadsForTesting(0); }
};

TEST(ThreadGroup, RunsEveryBodyOnceAndJoinsThem) {
  std::atomic<unsigned> sum{0};
  ThreadGroup group;
  EXPECT_EQ(group.Start(4, [&sum](std::size_t i) { sum += static_cast<unsigned>(i) + 1; }), "");
  EXPECT_EQ(group.size(), 4u);
  group.Join();
  EXPECT_EQ(sum.load(), 10u);
  EXPECT_EQ(group.failure(), "");
}

TEST(ThreadGroup, AThrowingBodyIsRecordedNotATerminate) {
  ThreadGroup group;
  EXPECT_EQ(group.Start(2,
                        [](std::size_t i) {
                          if (i == 1) throw std::runtime_error("no memory left");
                        }),
            "");
  group.Join();
  EXPECT_EQ(group.failure(), "no memory left");
}

TEST(ThreadGroup, ARefusedThreadIsNamedWithTheLimitAndTheOthersKeepRunning) {
  std::atomic<bool> release{false};
  std::atomic<unsigned> started{0};
  ThreadGroup group;
  std::string refused;
  {
    RefuseFrom third(3);
    refused = group.Start(5, [&](std::size_t) {
      ++started;
      while (!release) std::this_thread::yield();
    });
  }
  EXPECT_EQ(refused,
            "the OS refused thread 3 of 5 (Resource temporarily unavailable); see ulimit -u");
  EXPECT_EQ(group.size(), 2u);
  release = true;  // the caller stops what they run, then joins them
  group.Join();
  EXPECT_EQ(started.load(), 2u);
}

}  // namespace
}  // namespace concbench
