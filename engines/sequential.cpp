#include "engines/sequential.hpp"

namespace concbench {
namespace {

class SequentialEngine : public Engine {
 public:
  std::string_view name() const override { return "sequential"; }

  EngineRun run(const Workload& workload, std::stop_token stop) override {
    EngineRun run;
    run.records.resize(workload.task_count());
    for (std::size_t i = 0; i < run.records.size() && !stop.stop_requested(); ++i) {
      run.records[i] = RunTaskBlocking(workload, i, stop);
    }
    return run;
  }

  unsigned lanes(const Workload&) const override { return 1; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
};

}  // namespace

std::unique_ptr<Engine> MakeSequentialEngine(const Params&) {
  return std::make_unique<SequentialEngine>();
}

}  // namespace concbench
