// SleepAsync's shared timer queue, the asio engine's waiting tasks, and the thread engine's
// stacks.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "concbench/workload.hpp"
#include "engines/thread.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Sleeps `delay` on `stop`, then appends `tag` to `order`, or "cancelled" when it was.
asio::awaitable<void> SleepThenNote(Duration delay, std::stop_token stop, std::string tag,
                                    std::vector<std::string>* order) {
  try {
    co_await SleepAsync(delay, std::move(stop));
    order->push_back(tag);
  } catch (const TaskCancelled&) {
    order->push_back("cancelled");
  }
}

TEST(SleepQueue, EachWaitResumesAtItsOwnDeadlineWhateverTheOrderItStarted) {
  asio::io_context loop(1);
  std::vector<std::string> order;
  auto start = Clock::now();
  for (auto [delay, tag] : {std::pair{300ms, "c"}, {100ms, "a"}, {200ms, "b"}}) {
    asio::co_spawn(loop, SleepThenNote(delay, {}, tag, &order), asio::detached);
  }
  loop.run();
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_GE(Clock::now() - start, 300ms);
}

TEST(SleepQueue, AStopEndsTheWaitsAtOnceAndLetsTheLoopEnd) {
  asio::io_context loop(1);
  std::stop_source stop;
  std::vector<std::string> order;
  for (int i = 0; i < 1000; ++i) {
    asio::co_spawn(loop, SleepThenNote(1h, stop.get_token(), "woke", &order), asio::detached);
  }
  std::stop_source other;  // a wait on another token is not cancelled by the first
  asio::co_spawn(loop, SleepThenNote(300ms, other.get_token(), "other", &order), asio::detached);
  std::jthread stopper = testing::StopAfter(stop, 50ms);
  auto start = Clock::now();
  loop.run();
  stopper.join();
  EXPECT_LT(Clock::now() - start, 10s);  // not the hour the waits asked for
  ASSERT_EQ(order.size(), 1001u);
  EXPECT_EQ(std::count(order.begin(), order.end(), "cancelled"), 1000);
  EXPECT_EQ(order.back(), "other");
}

TEST(SleepQueue, AStopAlreadyRequestedCancelsWithoutWaiting) {
  asio::io_context loop(1);
  std::stop_source stop;
  stop.request_stop();
  std::vector<std::string> order;
  asio::co_spawn(loop, SleepThenNote(1h, stop.get_token(), "woke", &order), asio::detached);
  auto start = Clock::now();
  loop.run();
  EXPECT_LT(Clock::now() - start, 10s);
  EXPECT_EQ(order, (std::vector<std::string>{"cancelled"}));
}

TEST(SleepQueue, AStrandsWaitsWaitAndCancelOnTimersOfTheirOwn) {
  asio::io_context loop(1);
  auto strand = asio::make_strand(loop);
  std::stop_source stop;
  std::vector<std::string> order;
  asio::co_spawn(strand, SleepThenNote(20ms, {}, "woke", &order), asio::detached);
  asio::co_spawn(strand, SleepThenNote(1h, stop.get_token(), "late", &order), asio::detached);
  std::jthread stopper = testing::StopAfter(stop, 100ms);
  auto start = Clock::now();
  loop.run();
  stopper.join();
  EXPECT_LT(Clock::now() - start, 10s);
  EXPECT_EQ(order, (std::vector<std::string>{"woke", "cancelled"}));
}

// Counts the coroutines whose frames were destroyed.
asio::awaitable<void> WaitAnHour(std::stop_token stop, int* destroyed) {
  struct Count {
    int* destroyed;
    ~Count() { ++*destroyed; }
  } count{destroyed};
  co_await SleepAsync(3600s, std::move(stop));
}

TEST(SleepQueue, ALoopDestroyedWithWaitsInItDestroysTheirCoroutines) {
  int destroyed = 0;
  std::stop_source stop;
  {
    asio::io_context loop(1);
    for (int i = 0; i < 100; ++i) {
      std::stop_token token = i % 2 == 0 ? stop.get_token() : std::stop_token();
      asio::co_spawn(loop, WaitAnHour(token, &destroyed), asio::detached);
    }
    loop.run_for(50ms);
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 100);
  stop.request_stop();  // no callback of the destroyed queue is left to run
}

TEST(AsioEngine, WaitingTasksEndPromptlyWhenTheRunIsStopped) {
  auto workload = testing::MakeWorkload("sleep", {{"tasks", "20000"}, {"delay", "3600s"}});
  auto engine = testing::MakeEngine("asio");
  std::stop_source stop;
  std::jthread stopper = testing::StopAfter(stop, 500ms);
  auto start = Clock::now();
  EngineRun run = engine->run(*workload, stop.get_token());
  stopper.join();
  EXPECT_LT(Clock::now() - start, 30s);
  std::size_t cancelled = 0;
  for (const TaskRecord& record : run.records) {
    EXPECT_NE(record.status, TaskStatus::kOk);
    cancelled += record.status == TaskStatus::kCancelled;
  }
  EXPECT_GT(cancelled, 0u);
}

TEST(ThreadEngine, StackSizeBelowThePlatformMinimumIsRefusedWithTheLimit) {
  auto params = testing::Defaults(ThreadParams(), {{"stack-size", "1KiB"}});
  try {
    ReadStackSize(params);
    ADD_FAILURE() << "1KiB was accepted";
  } catch (const ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("--stack-size: at least"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ReadStackSize(testing::Defaults(ThreadParams(), {{"stack-size", "2GiB"}})),
               ParamError);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  EXPECT_EQ(ReadStackSize(testing::Defaults(ThreadParams(), {})), std::size_t{64} << 10);
#endif
}

// Sanitizers' frames are larger: their builds run the tasks on larger stacks.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr const char* kSmallStack = "256KiB";
#else
constexpr const char* kSmallStack = "16KiB";
#endif

TEST(ThreadEngine, RunsEveryTaskOnTheStackSizeAsked) {
  auto workload = testing::MakeWorkload("sleep", {{"tasks", "50"}, {"delay", "20ms"}});
  for (const char* size : {kSmallStack, "1MiB"}) {
    auto engine = testing::MakeEngine("thread", {{"stack-size", size}});
    EngineRun run = engine->run(*workload, std::stop_token());
    EXPECT_EQ(run.error, "") << size;
    for (const TaskRecord& record : run.records) {
      EXPECT_EQ(record.status, TaskStatus::kOk) << size << ": " << record.result;
    }
    EXPECT_EQ(engine->parameters()["stack_size_bytes"],
              ReadStackSize(testing::Defaults(ThreadParams(), {{"stack-size", size}})))
        << engine->parameters().dump();
  }
}

}  // namespace
}  // namespace concbench
