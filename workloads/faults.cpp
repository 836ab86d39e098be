#include "workloads/faults.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "workloads/forwarding.hpp"

namespace concbench {
namespace {

// Owns the workload a FailingWorkload wraps: a base, so that it is made before the forwarding.
struct Owned {
  std::unique_ptr<Workload> workload;
};

// The workload it wraps, but the chosen tasks throw first. It has no Python form: the failure is
// injected in C++.
class FailingWorkload : private Owned, public ForwardingWorkload {
 public:
  FailingWorkload(std::unique_ptr<Workload> inner, double rate, std::uint64_t seed)
      : Owned{std::move(inner)},
        ForwardingWorkload(*workload),
        fail_{rate, seed, SeededChoice::kFailSalt, workload->task_count()} {}

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    FailIfChosen(index);
    return workload->run_blocking(index, std::move(stop));
  }

  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    FailIfChosen(index);
    co_return co_await workload->run_async(index, std::move(stop));
  }

  // A chosen task takes the awaitable form, which fails; the others keep their lean form.
  WaitTask run_wait(std::size_t index, std::stop_token stop) const override {
    if (fail_.chosen(index)) return {};
    return workload->run_wait(index, std::move(stop));
  }

  nlohmann::json python_form() const override { return nullptr; }

  nlohmann::json parameters() const override {
    nlohmann::json params = workload->parameters();
    params["fail_rate"] = fail_.rate;
    params["seed"] = fail_.seed;
    return params;
  }

 private:
  void FailIfChosen(std::size_t index) const {
    if (fail_.chosen(index)) {
      throw std::runtime_error(
          fmt::format("failure injected by --fail-rate {} --seed {}", fail_.rate, fail_.seed));
    }
  }

  SeededChoice fail_;
};

}  // namespace

std::vector<ParamSpec> FailureParams() {
  return {
      {"fail-rate", ParamType::kRate, "0",
       "round(SHARE × tasks) of the tasks, chosen by --seed, throw instead of running"},
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
