// The task body and parameters that the sleep and blocking workloads share: each task waits
// its delay, parking its thread in the blocking form and on a timer in the awaitable form,
// unless blocks_thread(index) (then it makes a blocking sleep even there).
// Floor: max(longest delay, total delay / lanes). Check: every task waited at least its delay.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

class WaitWorkload : public Workload {
 public:
  // `blocking[i]`: task i blocks its thread even in its awaitable form. Same size as `delays`.
  WaitWorkload(std::vector<Duration> delays, std::vector<bool> blocking);

  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return delays_.size(); }
  bool blocks_thread(std::size_t index) const override { return blocking_[index]; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override;
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override;
  WaitTask run_wait(std::size_t index, std::stop_token stop) const override;
  std::string check(std::size_t index, const TaskRecord& record) const override;
  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override;
  // {"form": name(), "tasks": [{"seconds", "text", "blocking"}]}: sleep's and blocking's forms.
  nlohmann::json python_form() const override;

 protected:
  // Task `index`'s answer once it has waited.
  virtual std::string Answer(std::size_t index) const = 0;

  const std::vector<Duration>& delays() const { return delays_; }
  const std::vector<bool>& blocking() const { return blocking_; }

 private:
  std::vector<Duration> delays_;
  std::vector<bool> blocking_;
};

// --tasks, --delay and --delays.
std::vector<ParamSpec> DelayParams();

// Each task's delay: --delays, or --tasks times --delay. Throws ParamError; above `max_tasks`
// tasks its message is "--tasks: at most <max_tasks>" followed by `max_note`.
std::vector<Duration> ReadDelays(const Params& params, std::uint64_t max_tasks,
                                 std::string_view max_note);

}  // namespace concbench
