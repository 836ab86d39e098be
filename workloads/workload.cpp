#include "concbench/workload.hpp"
#include "workloads/on_stop.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <numeric>

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

boost::asio::awaitable<void> SleepAsync(Duration duration, std::stop_token stop) {
  namespace asio = boost::asio;
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, duration);
  // The callback may run on any thread: it only posts the cancel to the timer's executor, and
  // the posted handler keeps the timer alive until it has run.
  std::stop_callback on_stop(
      stop, [timer] { PostFromStopCallback(timer->get_executor(), [timer] { timer->cancel(); }); });
  auto [error] = co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  if (error || stop.stop_requested()) throw TaskCancelled();
}

double FloorSeconds(std::span<const double> work, unsigned lanes) {
  if (work.empty() || lanes == 0) return 0;
  double longest = *std::max_element(work.begin(), work.end());
  double total = std::accumulate(work.begin(), work.end(), 0.0);
  return std::max(longest, total / lanes);
}

}  // namespace concbench
