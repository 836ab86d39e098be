// A program of its own, written as a user writes one, for cli_registration_test.cpp: it registers
// the workload `tick` at static initialisation, then what its first argument names (`ok`: nothing
// more), and runs concbench::Main on the other arguments.
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/concbench.hpp"

namespace {

// Task i waits --tick-ms, then answers "tick i".
class TickWorkload : public concbench::Workload {
 public:
  static std::vector<concbench::ParamSpec> ParamSpecs() {
    return {{"tasks", concbench::ParamType::kCount, "4", "number of tasks"},
            {"tick", concbench::ParamType::kDuration, "2ms", "tick: each task's wait"}};
  }
  explicit TickWorkload(const concbench::Params& params)
      : tasks_(params.count("tasks")), tick_(params.duration("tick")) {}

  std::string_view name() const override { return "tick"; }
  concbench::TaskKind kind() const override { return concbench::TaskKind::kWait; }
  std::size_t task_count() const override { return tasks_; }
  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    concbench::SleepBlocking(tick_, stop);
    return "tick " + std::to_string(index);
  }
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    co_await concbench::SleepAsync(tick_, std::move(stop));
    co_return "tick " + std::to_string(index);
  }
  std::string check(std::size_t index, const concbench::TaskRecord& record) const override {
    if (record.result != "tick " + std::to_string(index)) return "wrong answer";
    return record.end - record.start >= tick_ ? "" : "did not wait";
  }
  double ideal_seconds(std::span<const concbench::TaskRecord> records, unsigned lanes,
                       unsigned /*cores*/) const override {
    return concbench::CompletedFloorSeconds(
        records, lanes, [&](std::size_t) { return std::chrono::duration<double>(tick_).count(); });
  }
  nlohmann::json parameters() const override {
    return {{"tasks", tasks_}, {"tick", concbench::FormatDuration(tick_)}};
  }

 private:
  std::size_t tasks_;
  concbench::Duration tick_;
};

CONCBENCH_WORKLOAD(TickWorkload, "tick", "each task waits --tick");

// `tick` under another name, with `param` added to its parameters.
concbench::WorkloadInfo TickWith(std::string_view name, concbench::ParamSpec param) {
  concbench::WorkloadInfo info = concbench::WorkloadInfoOf<TickWorkload>(name, "");
  info.params.push_back(std::move(param));
  return info;
}

void Register(std::string_view what) {
  using concbench::ParamType;
  if (what == "taken") {
    concbench::RegisterWorkload(concbench::WorkloadInfoOf<TickWorkload>("sleep", ""));
  } else if (what == "engine-clash") {
    concbench::RegisterWorkload(TickWith("crawl", {"workers", ParamType::kDuration, "1s", ""}));
  } else if (what == "option-clash") {
    concbench::RegisterWorkload(TickWith("crawl", {"json", ParamType::kText, "", ""}));
  } else if (what == "misnamed") {
    concbench::RegisterWorkload(concbench::WorkloadInfoOf<TickWorkload>("tock", ""));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 64;
  Register(argv[1]);
  argv[1] = argv[0];
  return concbench::Main(argc - 1, argv + 1);
}
