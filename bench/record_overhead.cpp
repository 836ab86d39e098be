// What the harness costs around task bodies: the record RunTaskBlocking makes of one task, with
// and without the task's thread CPU time (--task-cpu), and what the harness does with the
// records of a 1M-task run after it (counting and checking them, the floor, the timeline, its
// latency percentiles, the JSON export). Empty tasks (spin --grain 0), so only the harness shows.
#include <benchmark/benchmark.h>

#include <sstream>

#include "core/measurement.hpp"
#include "core/verdict.hpp"
#include "engines/engine.hpp"
#include "engines/registry.hpp"
#include "results/json.hpp"
#include "results/statistics.hpp"
#include "workloads/spin.hpp"

namespace concbench {
namespace {

constexpr std::size_t kMillion = 1'000'000;

// Tasks that do nothing and answer "", wanting their CPU time recorded or not.
class EmptyTasks : public Workload {
 public:
  EmptyTasks(std::size_t tasks, bool task_cpu) : tasks_(tasks), task_cpu_(task_cpu) {}
  std::string_view name() const override { return "empty"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return tasks_; }
  bool wants_task_cpu() const override { return task_cpu_; }
  std::string run_blocking(std::size_t, std::stop_token) const override { return {}; }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return {{"tasks", tasks_}}; }

 private:
  std::size_t tasks_;
  bool task_cpu_;
};

void BM_RecordOneTask(benchmark::State& state) {
  EmptyTasks workload(1, state.range(0) != 0);
  std::stop_source stop;
  std::stop_token token = stop.get_token();
  for (auto _ : state) {
    TaskRecord record = RunTaskBlocking(workload, 0, token);
    benchmark::DoNotOptimize(record);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordOneTask)->ArgName("task_cpu")->Arg(0)->Arg(1);

// The same through the sequential engine and its --task-cpu option, 10000 tasks a run.
void BM_SequentialRun(benchmark::State& state) {
  Params params;
  params.set("task-cpu", state.range(0) != 0 ? "true" : "false");
  std::unique_ptr<Engine> engine = FindEngine("sequential")->make(params);
  EmptyTasks workload(10000, false);
  for (auto _ : state) {
    EngineRun run = engine->run(workload, std::stop_token());
    benchmark::DoNotOptimize(run.records.data());
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}
BENCHMARK(BM_SequentialRun)->ArgName("task_cpu")->Arg(0)->Arg(1)->UseRealTime();

std::unique_ptr<Workload> EmptySpin(std::size_t tasks) {
  Params params;
  params.set("tasks", std::to_string(tasks));
  params.set("grain", "0");
  return MakeSpinWorkload(params);
}

// A 1M-task run of spin --grain 0 on the sequential engine, as the harness gets it.
const EngineRun& MillionTaskRun() {
  static const EngineRun run = [] {
    std::unique_ptr<Workload> spin = EmptySpin(kMillion);
    return FindEngine("sequential")->make(Params())->run(*spin, std::stop_token());
  }();
  return run;
}

void BM_TallyAndFloor(benchmark::State& state) {
  std::unique_ptr<Workload> spin = EmptySpin(kMillion);
  const EngineRun& run = MillionTaskRun();
  for (auto _ : state) {
    Result result;
    ProblemLog log;
    Tally(*spin, run, RunLimits{}, result, log);
    benchmark::DoNotOptimize(spin->ideal_seconds(run.records, 2, 2));
    benchmark::DoNotOptimize(spin->end_run(run.records));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMillion));
}
BENCHMARK(BM_TallyAndFloor)->Unit(benchmark::kMillisecond);

void BM_TimelineAndLatency(benchmark::State& state) {
  const EngineRun& run = MillionTaskRun();
  auto started = run.records.front().start;
  for (auto _ : state) {
    Result result;
    result.timeline = Timeline(run.records, started);
    FillLatency(result);
    benchmark::DoNotOptimize(result.completion.max);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMillion));
}
BENCHMARK(BM_TimelineAndLatency)->Unit(benchmark::kMillisecond);

// A 1M-task result's JSON (its timeline is left out above kMaxTimelineTasks tasks).
void BM_MillionTaskJson(benchmark::State& state) {
  const EngineRun& run = MillionTaskRun();
  std::vector<Result> results(1);
  Result& result = results.front();
  result.workload_parameters = result.engine_parameters = nlohmann::json::object();
  result.timeline = Timeline(run.records, run.records.front().start);
  FillLatency(result);
  for (auto _ : state) {
    std::ostringstream out;
    WriteJson(out, Context{}, results);
    benchmark::DoNotOptimize(out.str().size());
  }
}
BENCHMARK(BM_MillionTaskJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace concbench

BENCHMARK_MAIN();
