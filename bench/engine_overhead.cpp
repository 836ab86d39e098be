// Per-task cost of each engine: runs tasks that do (almost) nothing, so the time per task is
// the engine's own dispatch, bookkeeping and result collection.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "engines/recipe.hpp"
#include "engines/registry.hpp"

namespace concbench {
namespace {

class EmptyWorkload : public Workload {
 public:
  explicit EmptyWorkload(std::size_t tasks) : tasks_(tasks) {}
  std::string_view name() const override { return "empty"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return tasks_; }
  std::string run_blocking(std::size_t, std::stop_token) const override { return "ok"; }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return {{"tasks", tasks_}}; }

 private:
  std::size_t tasks_;
};

// A stencil of `width` points over `steps` steps: point i of step t waits for points i-1, i and
// i+1 of step t-1 (2 at the edges). Wide: a step's tasks are all ready at once.
class StencilGraph : public TaskGraph {
 public:
  StencilGraph(std::size_t width, std::size_t steps) : width_(width), steps_(steps) {}
  std::size_t task_count() const override { return width_ * steps_; }
  void inputs(std::size_t task, std::vector<TaskRange>& ranges) const override {
    ranges.clear();
    if (task >= width_) ranges.push_back(Around(task - width_));
  }
  void outputs(std::size_t task, std::vector<TaskRange>& ranges) const override {
    ranges.clear();
    if (task + width_ < task_count()) ranges.push_back(Around(task + width_));
  }
  std::size_t input_count(std::size_t task) const override {
    return task >= width_ ? Around(task - width_).count : 0;
  }
  std::size_t edge_count() const override { return (steps_ - 1) * (3 * width_ - 2); }
  std::string describe(std::size_t task) const override { return "task " + std::to_string(task); }

 private:
  // Points i-1, i, i+1 of the step of `task` (point i), within the step.
  TaskRange Around(std::size_t task) const {
    std::size_t step_first = task / width_ * width_;
    std::size_t point = task - step_first;
    std::size_t first = point > 0 ? task - 1 : task;
    std::size_t last = point + 1 < width_ ? task + 1 : task;
    return {first, last - first + 1};
  }
  std::size_t width_;
  std::size_t steps_;
};

class EmptyGraphWorkload : public EmptyWorkload {
 public:
  explicit EmptyGraphWorkload(const TaskGraph& graph)
      : EmptyWorkload(graph.task_count()), graph_(graph) {}
  const TaskGraph* graph() const override { return &graph_; }

 private:
  const TaskGraph& graph_;
};

// Per-task cost of honouring a graph's edges: 100,000 empty tasks, a stencil 1000 points wide.
void BM_GraphEngine(benchmark::State& state, const char* engine_name, bool offload) {
  const EngineInfo* info = FindEngine(engine_name);
  auto engine = info->make(
      ParamsFor(info->params, {{"workers", "2"}, {"offload", offload ? "true" : "false"}}));
  StencilGraph graph(1000, 100);
  EmptyGraphWorkload workload(graph);
  for (auto _ : state) {
    EngineRun run = engine->run(workload, std::stop_token());
    benchmark::DoNotOptimize(run.records.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<long>(graph.task_count()));
}
BENCHMARK_CAPTURE(BM_GraphEngine, sequential, "sequential", false)->UseRealTime();
BENCHMARK_CAPTURE(BM_GraphEngine, pool, "pool", false)->UseRealTime();
BENCHMARK_CAPTURE(BM_GraphEngine, asio_offload, "asio", true)->UseRealTime();
BENCHMARK_CAPTURE(BM_GraphEngine, process, "process", false)->UseRealTime();

void BM_Engine(benchmark::State& state, const char* engine_name, bool offload) {
  const EngineInfo* info = FindEngine(engine_name);
  auto engine = info->make(
      ParamsFor(info->params, {{"workers", "2"}, {"offload", offload ? "true" : "false"}}));
  EmptyWorkload workload(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    EngineRun run = engine->run(workload, std::stop_token());
    benchmark::DoNotOptimize(run.records.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The pool's claiming as its workers grow: empty tasks, so the time is the claims and the
// counting; on fewer cores than workers it also measures the OS's switching between them.
void BM_PoolWorkers(benchmark::State& state) {
  const EngineInfo* info = FindEngine("pool");
  auto engine = info->make(ParamsFor(info->params, {{"workers", std::to_string(state.range(0))}}));
  EmptyWorkload workload(100000);
  for (auto _ : state) {
    EngineRun run = engine->run(workload, std::stop_token());
    benchmark::DoNotOptimize(run.records.data());
  }
  state.SetItemsProcessed(state.iterations() * 100000);
}
BENCHMARK(BM_PoolWorkers)->Arg(1)->Arg(2)->Arg(4)->Arg(16)->UseRealTime();

BENCHMARK_CAPTURE(BM_Engine, sequential, "sequential", false)
    ->Arg(1000)
    ->Arg(100000)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Engine, thread, "thread", false)->Arg(1000)->UseRealTime();
BENCHMARK_CAPTURE(BM_Engine, pool, "pool", false)->Arg(1000)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(BM_Engine, process, "process", false)->Arg(1000)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(BM_Engine, asio_inline, "asio", false)->Arg(1000)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(BM_Engine, asio_offload, "asio", true)->Arg(1000)->Arg(100000)->UseRealTime();

}  // namespace
}  // namespace concbench

BENCHMARK_MAIN();
