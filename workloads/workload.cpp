#include "concbench/workload.hpp"

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>

#include "workloads/on_stop.hpp"
#include "workloads/sleep_queue.hpp"

namespace concbench {

std::string_view TaskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kNotRun:
      return "not_run";
    case TaskStatus::kOk:
      return "ok";
    case TaskStatus::kFailed:
      return "failed";
    case TaskStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

boost::asio::awaitable<std::string> Workload::run_async(std::size_t index,
                                                        std::stop_token stop) const {
  co_return run_blocking(index, std::move(stop));
}

nlohmann::json Workload::end_run(std::span<const TaskRecord> /*records*/) const {
  return nlohmann::json::object();
}

void SleepBlocking(Duration duration, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  // Returns true only when stop was requested; otherwise it waited the whole duration.
  if (wake.wait_for(lock, stop, duration, [] { return false; }) || stop.stop_requested()) {
    throw TaskCancelled();
  }
}

namespace {

namespace asio = boost::asio;

// A wait on a timer of its own, for executors of contexts other than an io_context.
struct TimerWait {
  TimerWait(const asio::any_io_executor& executor, Duration duration) : timer(executor, duration) {}
  asio::steady_timer timer;
  std::optional<std::stop_callback<std::function<void()>>> on_stop;
};

void WaitOnOwnTimer(const asio::any_io_executor& executor, Duration duration,
                    const std::stop_token& stop, SleepHandler handler) {
  auto wait = std::make_shared<TimerWait>(executor, duration);
  // The callback may run on any thread: it only posts the cancel to the timer's executor, and
  // the posted handler keeps the timer alive until it has run.
  std::weak_ptr<TimerWait> weak = wait;
  wait->on_stop.emplace(stop, [weak] {
    if (auto alive = weak.lock()) {
      PostFromStopCallback(alive->timer.get_executor(), [alive] { alive->timer.cancel(); });
    }
  });
  wait->timer.async_wait(
      [wait, stop, handler = std::move(handler)](const boost::system::error_code& error) mutable {
        wait->on_stop.reset();
        bool cancelled = error || stop.stop_requested();
        std::move(handler)(cancelled ? std::make_exception_ptr(TaskCancelled()) : nullptr);
      });
}

// Starts SleepAsync's wait once its coroutine has suspended.
struct StartSleep {
  Duration duration;
  std::stop_token stop;

  void operator()(SleepHandler handler) {
    asio::any_io_executor executor = asio::get_associated_executor(handler);
    // The queue serves plain io_context executors; a strand, say, gets a timer of its own.
    const auto* loop = executor.target<asio::io_context::executor_type>();
    if (loop == nullptr) return WaitOnOwnTimer(executor, duration, stop, std::move(handler));
    asio::use_service<SleepQueue>(loop->context())
        .Wait(SleepQueue::Clock::now() + duration, stop, std::move(handler));
  }
};

}  // namespace

// Not a coroutine itself: the awaiting coroutine suspends straight into the wait, so a wait
// costs no frame of its own beyond Asio's initiation.
boost::asio::awaitable<void> SleepAsync(Duration duration, std::stop_token stop) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      StartSleep{duration, std::move(stop)}, asio::use_awaitable);
}

double FloorSeconds(std::span<const double> work, unsigned lanes) {
  if (work.empty() || lanes == 0) return 0;
  double longest = *std::max_element(work.begin(), work.end());
  double total = std::accumulate(work.begin(), work.end(), 0.0);
  return std::max(longest, total / lanes);
}

}  // namespace concbench
