// Per-task cost of each engine: runs tasks that do (almost) nothing, so the time per task is
// the engine's own dispatch, bookkeeping and result collection.
#include <benchmark/benchmark.h>

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
BENCHMARK_CAPTURE(BM_Engine, asio_offload, "asio", true)->Arg(1000)->UseRealTime();

}  // namespace
}  // namespace concbench

BENCHMARK_MAIN();
