#include "workloads/faults.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace concbench {
namespace {

// Forwards everything to the workload it wraps; the chosen tasks throw first.
class FailingWorkload : public Workload {
 public:
  FailingWorkload(std::unique_ptr<Workload> inner, double rate, std::uint64_t seed)
      : inner_(std::move(inner)), fail_{rate, seed, SeededChoice::kFailSalt} {}

  std::string_view name() const override { return inner_->name(); }
  TaskKind kind() const override { return inner_->kind(); }
  std::size_t task_count() const override { return inner_->task_count(); }
  bool blocks_thread(std::size_t index) const override { return inner_->blocks_thread(index); }
  TaskNeeds needs() const override { return inner_->needs(); }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    FailIfChosen(index);
    return inner_->run_blocking(index, std::move(stop));
  }

  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    FailIfChosen(index);
    co_return co_await inner_->run_async(index, std::move(stop));
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    return inner_->check(index, record);
  }
  std::string check_run(std::span<const TaskRecord> records) const override {
    return inner_->check_run(records);
  }
  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    return inner_->ideal_seconds(records, lanes, cores);
  }
  nlohmann::json parameters() const override {
    nlohmann::json params = inner_->parameters();
    params["fail_rate"] = fail_.rate;
    params["seed"] = fail_.seed;
    return params;
  }
  void after_fork() const override { inner_->after_fork(); }
  void begin_run() const override { inner_->begin_run(); }
  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    return inner_->end_run(records);
  }

 private:
  void FailIfChosen(std::size_t index) const {
    if (fail_.chosen(index)) {
      throw std::runtime_error(
          fmt::format("failure injected by --fail-rate {} --seed {}", fail_.rate, fail_.seed));
    }
  }

  std::unique_ptr<Workload> inner_;
  SeededChoice fail_;
};

}  // namespace

std::vector<ParamSpec> FailureParams() {
  return {
      {"fail-rate", ParamType::kRate, "0",
       "this share of tasks (chosen by --seed) throw instead of running"},
      SeedParam(),
  };
}

std::unique_ptr<Workload> WithFailures(std::unique_ptr<Workload> inner, const Params& params) {
  double rate = params.has("fail-rate") ? params.rate("fail-rate") : 0;
  std::uint64_t seed = params.has("seed") ? params.whole("seed") : 1;
  if (rate == 0) return inner;
  return std::make_unique<FailingWorkload>(std::move(inner), rate, seed);
}

}  // namespace concbench
