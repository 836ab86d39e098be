#include "engines/sequential.hpp"

#include "engines/ready_tasks.hpp"

namespace concbench {
namespace {

class SequentialEngine : public Engine {
 public:
  std::string_view name() const override { return "sequential"; }

  unsigned lanes(const Workload&) const override { return 1; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    std::stop_token token = control.token();
    const TaskGraph* graph = workload.graph();
    for (std::size_t i = 0; i < run.records.size() && !token.stop_requested(); ++i) {
      TaskRecord& record = run.records[i];
      // Task order is a valid order: every input of task i has run (or was skipped) by now.
      if (graph != nullptr && FirstInputNotOk(*graph, i, run.records) < run.records.size()) {
        RecordInputNotRun(record, *graph, i, run.records);
      } else {
        RunTaskInto(record, workload, i, token, CommandSlot(run, i));
      }
      if (record.status != TaskStatus::kNotRun) control.finished(record.status);
    }
    return run;
  }
  nlohmann::json own_parameters() const override { return nlohmann::json::object(); }
};

}  // namespace

std::unique_ptr<Engine> MakeSequentialEngine(const Params&) {
  return std::make_unique<SequentialEngine>();
}

}  // namespace concbench
