// What running a command costs, per task: posix_spawn + wait4 of /bin/true alone (the floor any
// tool pays), then one exec task in its blocking form (which adds the pidfd, the stop watch and
// the group check), then whole runs of `true` tasks on each engine.
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>

#include "concbench/workload_registry.hpp"
#include "engines/recipe.hpp"
#include "engines/registry.hpp"

extern char** environ;

namespace concbench {
namespace {

void BM_PosixSpawnAndWait(benchmark::State& state) {
  char arg0[] = "/bin/true";
  char* argv[] = {arg0, nullptr};
  for (auto _ : state) {
    pid_t pid = -1;
    if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv, environ) != 0) {
      state.SkipWithError("posix_spawn failed");
      break;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PosixSpawnAndWait)->UseRealTime();

std::unique_ptr<Workload> TrueTasks(std::size_t tasks) {
  const WorkloadInfo* info = FindWorkload("exec");
  return info->make(
      ParamsFor(info->params, {{"cmd", "/bin/true"}, {"tasks", std::to_string(tasks)}}));
}

void BM_ExecTask(benchmark::State& state, bool stoppable) {
  auto workload = TrueTasks(1);
  std::stop_source stop;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        workload->run_blocking(0, stoppable ? stop.get_token() : std::stop_token()));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ExecTask, stoppable, true)->UseRealTime();
BENCHMARK_CAPTURE(BM_ExecTask, unstoppable, false)->UseRealTime();

void BM_ExecOnEngine(benchmark::State& state, const char* engine_name) {
  const EngineInfo* info = FindEngine(engine_name);
  auto engine = info->make(ParamsFor(info->params, {{"workers", "2"}, {"offload", "false"}}));
  auto workload = TrueTasks(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    EngineRun run = engine->run(*workload, std::stop_token());
    benchmark::DoNotOptimize(run.records.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK_CAPTURE(BM_ExecOnEngine, sequential, "sequential")->Arg(200)->UseRealTime();
BENCHMARK_CAPTURE(BM_ExecOnEngine, thread, "thread")->Arg(200)->UseRealTime();
BENCHMARK_CAPTURE(BM_ExecOnEngine, pool, "pool")->Arg(200)->UseRealTime();
BENCHMARK_CAPTURE(BM_ExecOnEngine, process, "process")->Arg(200)->UseRealTime();
BENCHMARK_CAPTURE(BM_ExecOnEngine, asio, "asio")->Arg(200)->UseRealTime();

}  // namespace
}  // namespace concbench

BENCHMARK_MAIN();
