// `poll`: a waiting workload. Each task polls a remote job until it is done: --polls times it
// waits --interval, then asks for the job's status. The waits are an Asio timer in the awaitable
// form (the asio engine) and a parked thread in the blocking form (every other engine).
#include <chrono>
#include <concbench/concbench.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace {

class PollWorkload : public concbench::Workload {
 public:
  static std::vector<concbench::ParamSpec> ParamSpecs() {
    using concbench::ParamType;
    return {
        {"tasks", ParamType::kCount, "10", "number of tasks"},
        {"polls", ParamType::kCount, "3", "poll: status requests each task makes"},
        {"interval", ParamType::kDuration, "10ms", "poll: the wait before each status request"},
    };
  }

  explicit PollWorkload(const concbench::Params& params)
      : tasks_(params.count("tasks")),
        polls_(params.count("polls")),
        interval_(params.duration("interval")) {}

  std::string_view name() const override { return "poll"; }
  concbench::TaskKind kind() const override { return concbench::TaskKind::kWait; }
  std::size_t task_count() const override { return tasks_; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    for (std::uint64_t poll = 0; poll < polls_; ++poll) concbench::SleepBlocking(interval_, stop);
    return Answer(index);
  }

  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    for (std::uint64_t poll = 0; poll < polls_; ++poll) {
      co_await concbench::SleepAsync(interval_, stop);
    }
    co_return Answer(index);
  }

  // The answer is this task's, and it waited every interval.
  std::string check(std::size_t index, const concbench::TaskRecord& record) const override {
    if (record.result != Answer(index)) return "answered '" + record.result + "'";
    if (record.end - record.start < Wait()) {
      return "took less than " + concbench::FormatDuration(Wait());
    }
    return "";
  }

  // Waits overlap on any number of lanes: max(one task's wait, all the completed tasks' waits /
  // lanes).
  double ideal_seconds(std::span<const concbench::TaskRecord> records, unsigned lanes,
                       unsigned /*cores*/) const override {
    return concbench::CompletedFloorSeconds(
        records, lanes, [&](std::size_t) { return std::chrono::duration<double>(Wait()).count(); });
  }

  nlohmann::json parameters() const override {
    return {
        {"tasks", tasks_}, {"polls", polls_}, {"interval", concbench::FormatDuration(interval_)}};
  }

 private:
  concbench::Duration Wait() const {
    return interval_ * static_cast<concbench::Duration::rep>(polls_);
  }
  std::string Answer(std::size_t index) const {
    return "job " + std::to_string(index) + " done after " + std::to_string(polls_) + " polls";
  }

  std::uint64_t tasks_;
  std::uint64_t polls_;
  concbench::Duration interval_;
};

}  // namespace

CONCBENCH_WORKLOAD(PollWorkload, "poll",
                   "waiting: each task polls a job --polls times, --interval apart");
