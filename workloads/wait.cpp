#include "workloads/wait.hpp"

#include <fmt/format.h>

namespace concbench {

WaitWorkload::WaitWorkload(std::vector<Duration> delays, std::vector<bool> blocking)
    : delays_(std::move(delays)), blocking_(std::move(blocking)) {}

std::string WaitWorkload::run_blocking(std::size_t index, std::stop_token stop) const {
  SleepBlocking(delays_[index], stop);
  return Answer(index);
}

boost::asio::awaitable<std::string> WaitWorkload::run_async(std::size_t index,
                                                            std::stop_token stop) const {
  if (blocking_[index]) {
    SleepBlocking(delays_[index], stop);  // the point: it blocks the awaiting thread
  } else {
    co_await SleepAsync(delays_[index], stop);
  }
  co_return Answer(index);
}

WaitTask WaitWorkload::run_wait(std::size_t index, std::stop_token stop) const {
  if (blocking_[index]) {
    SleepBlocking(delays_[index], stop);  // the point: it blocks the awaiting thread
  } else {
    co_await SleepFor(delays_[index], std::move(stop));
  }
  co_return Answer(index);
}

std::string WaitWorkload::check(std::size_t index, const TaskRecord& record) const {
  auto waited = std::chrono::duration_cast<Duration>(record.end - record.start);
  if (waited >= delays_[index]) return "";
  return fmt::format("task {} returned after {}us, before its delay of {}", index,
                     waited.count() / 1000, FormatDuration(delays_[index]));
}

double WaitWorkload::ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                                   unsigned) const {
  return CompletedFloorSeconds(records, lanes, [&](std::size_t i) {
    return std::chrono::duration<double>(delays_[i]).count();
  });
}

std::vector<ParamSpec> DelayParams() {
  return {
      {"tasks", ParamType::kCount, "10", "number of tasks"},
      {"delay", ParamType::kDuration, "100ms", "each task's wait (units s, ms, us)"},
      {"delays", ParamType::kDurationList, "", "per-task waits, e.g. 2s,3s (sets the task count)"},
  };
}

std::vector<Duration> ReadDelays(const Params& params, std::uint64_t max_tasks,
                                 std::string_view max_note) {
  if (params.has("delays")) {
    if (params.given("tasks") || params.given("delay")) {
      throw ParamError("--delays: sets every task's wait; give it without --tasks and --delay");
    }
    return params.duration_list("delays");
  }
  std::uint64_t tasks = params.count("tasks");
  if (tasks > max_tasks)
    throw ParamError(fmt::format("--tasks: at most {}{}", max_tasks, max_note));
  return std::vector<Duration>(static_cast<std::size_t>(tasks), params.duration("delay"));
}

nlohmann::json WaitWorkload::python_form() const {
  nlohmann::json tasks = nlohmann::json::array();
  for (std::size_t i = 0; i < delays_.size(); ++i) {
    tasks.push_back({{"seconds", std::chrono::duration<double>(delays_[i]).count()},
                     {"text", FormatDuration(delays_[i])},
                     {"blocking", static_cast<bool>(blocking_[i])}});
  }
  return {{"form", name()}, {"tasks", std::move(tasks)}};
}

}  // namespace concbench
