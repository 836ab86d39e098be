// WaitTask, concbench's own coroutine for waiting tasks: started on a WaitRoot, waiting in the
// loop's shared sleep queue, awaiting other WaitTasks, stopped, and destroyed with the loop.
#include "concbench/wait_task.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include "concbench/workload.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Notes how each task ended: its answer, or "threw: <what>".
class NotingRoot : public WaitRoot {
 public:
  using WaitRoot::WaitRoot;
  void Returned(std::size_t index, std::string value) noexcept override {
    ended[index] = std::move(value);
    order.push_back(index);
  }
  void Threw(std::size_t index, std::exception_ptr error) noexcept override {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      ended[index] = std::string("threw: ") + e.what();
    }
    order.push_back(index);
  }
  std::map<std::size_t, std::string> ended;
  std::vector<std::size_t> order;
};

WaitTask SleepThenAnswer(Duration delay, std::stop_token stop, std::string answer) {
  co_await SleepFor(delay, std::move(stop));
  co_return answer;
}

TEST(WaitTask, TasksResumeAtTheirOwnDeadlinesWhateverTheOrderTheyStarted) {
  boost::asio::io_context loop(1);
  NotingRoot root(loop);
  auto start = Clock::now();
  SleepThenAnswer(300ms, {}, "c").Start(root, 0);
  SleepThenAnswer(100ms, {}, "a").Start(root, 1);
  SleepThenAnswer(200ms, {}, "b").Start(root, 2);
  EXPECT_TRUE(root.ended.empty());  // each is waiting, not done
  loop.run();
  EXPECT_GE(Clock::now() - start, 300ms);
  EXPECT_EQ(root.order, (std::vector<std::size_t>{1, 2, 0}));
  EXPECT_EQ(root.ended[0], "c");
  EXPECT_EQ(root.ended[1], "a");
}

WaitTask Child(bool fail) {
  co_await SleepFor(10ms, {});
  if (fail) throw std::runtime_error("child failed");
  co_return "child's answer";
}

WaitTask Parent() {
  std::string first = co_await Child(false);
  try {
    co_await Child(true);
  } catch (const std::runtime_error& e) {
    co_return first + ", then " + e.what();
  }
  co_return "not reached";
}

TEST(WaitTask, AnAwaitedTaskGivesItsAnswerOrItsExceptionToTheTaskAwaitingIt) {
  boost::asio::io_context loop(1);
  NotingRoot root(loop);
  Parent().Start(root, 7);
  loop.run();
  EXPECT_EQ(root.ended[7], "child's answer, then child failed");
}

TEST(WaitTask, AStopCancelsEveryWaitAtOnceAndAnAlreadyStoppedOneWithoutWaiting) {
  boost::asio::io_context loop(1);
  NotingRoot root(loop);
  std::stop_source stop;
  for (std::size_t i = 0; i < 1000; ++i)
    SleepThenAnswer(1h, stop.get_token(), "woke").Start(root, i);
  std::stop_source other;  // a wait on another token is not cancelled by the first
  SleepThenAnswer(300ms, other.get_token(), "other").Start(root, 1000);
  std::jthread stopper = testing::StopAfter(stop, 50ms);
  auto start = Clock::now();
  loop.run();
  stopper.join();
  EXPECT_LT(Clock::now() - start, 10s);  // not the hour the waits asked for
  ASSERT_EQ(root.ended.size(), 1001u);
  for (std::size_t i = 0; i < 1000; ++i) EXPECT_EQ(root.ended[i], "threw: cancelled");
  EXPECT_EQ(root.ended[1000], "other");
  EXPECT_EQ(root.order.back(), 1000u);

  SleepThenAnswer(1h, stop.get_token(), "woke").Start(root, 2000);  // stopped already
  EXPECT_EQ(root.ended[2000], "threw: cancelled");
}

// Counts the frames destroyed.
struct Count {
  int* destroyed;
  ~Count() { ++*destroyed; }
};

WaitTask WaitAnHour(std::stop_token stop, int* destroyed) {
  Count count{destroyed};
  co_await SleepFor(3600s, std::move(stop));
  co_return "woke";
}

WaitTask AwaitAnHour(std::stop_token stop, int* destroyed) {
  Count count{destroyed};
  co_return co_await WaitAnHour(std::move(stop), destroyed);
}

TEST(WaitTask, ALoopDestroyedWithTasksWaitingDestroysTheirFramesUnresumed) {
  int destroyed = 0;
  std::stop_source stop;
  auto loop = std::make_unique<boost::asio::io_context>(1);
  NotingRoot root(*loop);
  for (std::size_t i = 0; i < 100; ++i) {
    std::stop_token token = i % 2 == 0 ? stop.get_token() : std::stop_token();
    (i % 3 == 0 ? AwaitAnHour(token, &destroyed) : WaitAnHour(token, &destroyed)).Start(root, i);
  }
  loop->run_for(50ms);
  EXPECT_EQ(destroyed, 0);
  loop.reset();
  EXPECT_TRUE(root.ended.empty());
  EXPECT_EQ(destroyed, 100 + 34);  // every frame, the awaiting ones and those they await
  stop.request_stop();             // no callback of the destroyed queue is left to run
}

// A workload with both awaitable forms, answering differently in each.
class BothForms : public Workload {
 public:
  std::string_view name() const override { return "both"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return 3; }
  std::string run_blocking(std::size_t, std::stop_token) const override { return "blocking"; }
  boost::asio::awaitable<std::string> run_async(std::size_t, std::stop_token stop) const override {
    co_await SleepAsync(1ms, std::move(stop));
    co_return "awaitable";
  }
  WaitTask run_wait(std::size_t, std::stop_token stop) const override {
    co_await SleepFor(1ms, std::move(stop));
    co_return "wait task";
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
};

TEST(AsioEngine, RunsAWorkloadsWaitTaskFormWhenItHasOne) {
  BothForms workload;
  EngineRun run = testing::MakeEngine("asio")->run(workload, {});
  ASSERT_EQ(run.records.size(), 3u);
  for (const TaskRecord& record : run.records) {
    EXPECT_EQ(record.status, TaskStatus::kOk);
    EXPECT_EQ(record.result, "wait task");
    EXPECT_GE(record.end - record.start, 1ms);
  }
}

}  // namespace
}  // namespace concbench
