// What keeping each result's task timeline costs the harness: turning a run's records into
// spans (as cli/runner.cpp does after every measured run), its latency percentiles, and the
// JSON and trace output of 100k tasks. Compare with the run itself (e.g. 100k asio sleeps).
#include <benchmark/benchmark.h>

#include <sstream>

#include "core/measurement.hpp"
#include "reports/trace.hpp"
#include "results/json.hpp"
#include "results/statistics.hpp"

namespace concbench {
namespace {

std::vector<TaskRecord> FakeRecords(std::size_t tasks, TaskRecord::Clock::time_point started) {
  std::vector<TaskRecord> records(tasks);
  for (std::size_t i = 0; i < tasks; ++i) {
    records[i].status = TaskStatus::kOk;
    records[i].start = started + std::chrono::microseconds(i);
    records[i].end = records[i].start + std::chrono::milliseconds(1);
    records[i].worker = static_cast<std::int32_t>(1000 + i % 2);
    records[i].result = "slept 1ms";
  }
  return records;
}

void BM_TimelineSpans(benchmark::State& state) {
  auto started = TaskRecord::Clock::now();
  auto records = FakeRecords(static_cast<std::size_t>(state.range(0)), started);
  for (auto _ : state) benchmark::DoNotOptimize(Timeline(records, started).data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TimelineSpans)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LatencyPercentiles(benchmark::State& state) {
  auto started = TaskRecord::Clock::now();
  Result result;
  result.timeline =
      Timeline(FakeRecords(static_cast<std::size_t>(state.range(0)), started), started);
  for (auto _ : state) {
    FillLatency(result);
    benchmark::DoNotOptimize(result.completion.max);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LatencyPercentiles)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_TraceOutput(benchmark::State& state) {
  auto started = TaskRecord::Clock::now();
  Result result;
  result.workload = "sleep";
  result.engine = "asio";
  result.timeline =
      Timeline(FakeRecords(static_cast<std::size_t>(state.range(0)), started), started);
  for (auto _ : state) {
    std::ostringstream out;
    WriteTrace(out, {result});
    benchmark::DoNotOptimize(out.str().size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TraceOutput)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_TimelineJson(benchmark::State& state) {
  auto started = TaskRecord::Clock::now();
  Result result;
  result.workload_parameters = result.engine_parameters = nlohmann::json::object();
  result.timeline =
      Timeline(FakeRecords(static_cast<std::size_t>(state.range(0)), started), started);
  for (auto _ : state) {
    std::ostringstream out;
    WriteJson(out, Context{}, {result});
    benchmark::DoNotOptimize(out.str().size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TimelineJson)->Arg(kMaxTimelineTasks)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace concbench

BENCHMARK_MAIN();
