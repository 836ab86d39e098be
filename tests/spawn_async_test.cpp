// Children started from a coroutine on spawner threads and awaited on the loop: their exits, a
// stop before the start, and a loop destroyed with spawns under way (no child, no thread left).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <optional>

#include "concbench/workload.hpp"
#include "tests/workload_helpers.hpp"
#include "workloads/spawn_async.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::NoChildrenLeft;

std::size_t ThreadCount() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++count;
  }
  return count;
}

SpawnRequest Shell(const std::string& script) {
  SpawnRequest request;
  request.argv = {"/bin/sh", "-c", script};
  return request;
}

TEST(SpawnAsync, StartsChildrenSideBySideAndTheLoopReapsThem) {
  std::size_t threads = ThreadCount();
  std::vector<int> statuses(12, -1);
  {
    asio::io_context loop(1);
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      asio::co_spawn(
          loop,
          [&statuses, i]() -> asio::awaitable<void> {
            pid_t pid = co_await SpawnAsync(Shell("exit " + std::to_string(i)), {});
            ChildExit exit = co_await AwaitChildAsync(pid, true, {}, 100ms);
            statuses[i] = WEXITSTATUS(exit.status);
          },
          asio::detached);
    }
    loop.run();
    EXPECT_GT(ThreadCount(), threads);  // the spawner threads, held by the loop
  }
  for (std::size_t i = 0; i < statuses.size(); ++i) EXPECT_EQ(statuses[i], static_cast<int>(i));
  EXPECT_EQ(ThreadCount(), threads);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(SpawnAsync, AStopBeforeTheStartStartsNothing) {
  std::stop_source stop;
  stop.request_stop();
  bool cancelled = false;
  {
    asio::io_context loop(1);
    asio::co_spawn(
        loop,
        [&]() -> asio::awaitable<void> {
          try {
            co_await SpawnAsync(Shell("exec sleep 30"), stop.get_token());
          } catch (const TaskCancelled&) {
            cancelled = true;
          }
        },
        asio::detached);
    loop.run();
  }
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(NoChildrenLeft());
}

// Starts 8 children that sleep 30 s, runs the loop for `run_for` (zero: only what is ready
// now), then destroys it.
void DestroyLoopAfter(std::chrono::milliseconds run_for) {
  asio::io_context loop(1);
  for (int i = 0; i < 8; ++i) {
    asio::co_spawn(
        loop,
        []() -> asio::awaitable<void> {
          pid_t pid = co_await SpawnAsync(Shell("exec sleep 30"), {});
          co_await AwaitChildAsync(pid, true, {}, 100ms);
        },
        asio::detached);
  }
  if (run_for.count() == 0) {
    loop.poll();
  } else {
    loop.run_for(run_for);
  }
}

TEST(SpawnAsync, ALoopDestroyedWithSpawnsUnderWayLeavesNoChildAndNoThread) {
  std::size_t threads = ThreadCount();
  auto started = std::chrono::steady_clock::now();
  DestroyLoopAfter(0ms);  // the spawns handed to the spawner threads, their pids not yet back
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(ThreadCount(), threads);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(SpawnAsync, ALoopDestroyedWhileItAwaitsChildrenLeavesNoChild) {
  auto started = std::chrono::steady_clock::now();
  DestroyLoopAfter(500ms);  // every child started and awaited through its pidfd
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_TRUE(NoChildrenLeft());
}

}  // namespace
}  // namespace concbench
