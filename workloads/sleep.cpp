#include "workloads/sleep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <mutex>

namespace concbench {
namespace {

namespace asio = boost::asio;

class SleepWorkload : public Workload {
 public:
  explicit SleepWorkload(std::vector<Duration> delays) : delays_(std::move(delays)) {}

  std::string_view name() const override { return "sleep"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return delays_.size(); }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    // Returns true only when stop was requested; otherwise it waited the whole delay.
    if (wake.wait_for(lock, stop, delays_[index], [] { return false; }) || stop.stop_requested()) {
      throw TaskCancelled();
    }
    return Answer(index);
  }

  asio::awaitable<std::string> run_async(std::size_t index, std::stop_token stop) const override {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                      delays_[index]);
    // The callback may run on any thread: it only posts the cancel to the timer's executor,
    // and the posted handler keeps the timer alive until it has run.
    std::stop_callback on_stop(stop, [timer] {
      asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    });
    auto [error] = co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    if (error || stop.stop_requested()) throw TaskCancelled();
    co_return Answer(index);
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    auto waited = std::chrono::duration_cast<Duration>(record.end - record.start);
    if (waited >= delays_[index]) return "";
    return fmt::format("task {} returned after {}us, before its delay of {}", index,
                       waited.count() / 1000, FormatDuration(delays_[index]));
  }

  double ideal_seconds(std::span<const TaskRecord>, unsigned lanes, unsigned) const override {
    std::vector<double> work;
    work.reserve(delays_.size());
    for (Duration d : delays_) work.push_back(std::chrono::duration<double>(d).count());
    return FloorSeconds(work, lanes);
  }

  nlohmann::json parameters() const override {
    bool uniform = std::all_of(delays_.begin(), delays_.end(),
                               [&](Duration d) { return d == delays_.front(); });
    nlohmann::json params = {{"tasks", delays_.size()}};
    if (uniform) {
      params["delay"] = FormatDuration(delays_.front());
    } else {
      std::vector<std::string> delays;
      for (Duration d : delays_) delays.push_back(FormatDuration(d));
      params["delays"] = delays;
    }
    return params;
  }

 private:
  std::string Answer(std::size_t index) const {
    return "slept " + FormatDuration(delays_[index]);
  }

  std::vector<Duration> delays_;
};

}  // namespace

std::vector<ParamSpec> SleepParams() {
  return {
      {"tasks", ParamType::kCount, "10", "number of tasks"},
      {"delay", ParamType::kDuration, "100ms", "each task's wait (units s, ms, us)"},
      {"delays", ParamType::kDurationList, "", "per-task waits, e.g. 2s,3s (sets the task count)"},
  };
}

std::unique_ptr<Workload> MakeSleepWorkload(const Params& params) {
  if (params.has("delays")) {
    if (params.given("tasks") || params.given("delay")) {
      throw ParamError("--delays: sets every task's wait; give it without --tasks and --delay");
    }
    return std::make_unique<SleepWorkload>(params.duration_list("delays"));
  }
  std::uint64_t tasks = params.count("tasks");
  if (tasks > 10'000'000) throw ParamError("--tasks: at most 10000000");
  return std::make_unique<SleepWorkload>(
      std::vector<Duration>(static_cast<std::size_t>(tasks), params.duration("delay")));
}

}  // namespace concbench
