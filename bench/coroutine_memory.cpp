// What a waiting task costs on the asio engine: memory per task while N tasks wait (malloc'd
// bytes beyond the task's TaskRecord, and resident bytes), the time to start them all, and the
// time for a stop to end them. BM_BareCoSpawn is the reference: N coroutines co_spawned from
// outside the loop, each waiting on a steady_timer of its own, as Asio's examples write them.
//
// Counters: bytes_per_task (malloc'd, mallinfo2, TaskRecord excluded), rss_per_task,
// start_ns_per_task (the manual time, divided by N), cancel_s (stop to run returned).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <unistd.h>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "engines/recipe.hpp"
#include "engines/registry.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Bytes malloc has handed out and not had back, in every arena.
double MallocedBytes() {
  struct mallinfo2 info = ::mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd);
}

// The process's resident bytes now.
double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

// Waits until `count` reaches `target`.
void AwaitCount(const std::atomic<std::size_t>& count, std::size_t target) {
  while (count.load() < target) std::this_thread::sleep_for(std::chrono::microseconds(200));
}

// N tasks shaped like the sleep workload's: each notes that it started, then waits an hour.
class Waiters : public Workload {
 public:
  explicit Waiters(std::size_t tasks) : tasks_(tasks) {}
  std::string_view name() const override { return "waiters"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return tasks_; }
  std::string run_blocking(std::size_t, std::stop_token stop) const override {
    SleepBlocking(std::chrono::hours(1), stop);
    return "slept";
  }
  asio::awaitable<std::string> run_async(std::size_t, std::stop_token stop) const override {
    started.fetch_add(1, std::memory_order_relaxed);
    co_await SleepAsync(std::chrono::hours(1), std::move(stop));
    co_return "slept";
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return {{"tasks", tasks_}}; }

  mutable std::atomic<std::size_t> started{0};

 private:
  std::size_t tasks_;
};

// The same tasks in concbench's own coroutine type (Workload::run_wait), as the sleep workload
// runs them.
class WaitTaskWaiters : public Waiters {
 public:
  using Waiters::Waiters;
  WaitTask run_wait(std::size_t, std::stop_token stop) const override {
    started.fetch_add(1, std::memory_order_relaxed);
    co_await SleepFor(std::chrono::hours(1), std::move(stop));
    co_return "slept";
  }
};

struct Sample {
  double seconds_to_start = 0;
  double malloced = 0;
  double resident = 0;
  double cancel_seconds = 0;
};

void Report(benchmark::State& state, const Sample& total, std::size_t tasks,
            double excluded_per_task) {
  auto n = static_cast<double>(tasks) * static_cast<double>(state.iterations());
  state.counters["bytes_per_task"] = total.malloced / n - excluded_per_task;
  state.counters["rss_per_task"] = total.resident / n;
  state.counters["start_ns_per_task"] = total.seconds_to_start * 1e9 / n;
  state.counters["cancel_s"] = total.cancel_seconds / static_cast<double>(state.iterations());
}

template <typename Tasks>
void BM_AsioWaitingTasks(benchmark::State& state) {
  auto tasks = static_cast<std::size_t>(state.range(0));
  const EngineInfo* asio = FindEngine("asio");
  auto engine = asio->make(ParamsFor(asio->params, {{"workers", "2"}, {"offload", "false"}}));
  Sample total;
  for (auto _ : state) {
    Tasks workload(tasks);
    std::stop_source stop;
    ::malloc_trim(0);
    double malloced = MallocedBytes();
    double resident = ResidentBytes();
    auto start = Clock::now();
    std::thread runner([&] { benchmark::DoNotOptimize(engine->run(workload, stop.get_token())); });
    AwaitCount(workload.started, tasks);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the last task's wait began
    total.malloced += MallocedBytes() - malloced;
    total.resident += ResidentBytes() - resident;
    total.seconds_to_start += seconds;
    auto cancel = Clock::now();
    stop.request_stop();
    runner.join();
    total.cancel_seconds += std::chrono::duration<double>(Clock::now() - cancel).count();
    state.SetIterationTime(seconds);
  }
  Report(state, total, tasks, sizeof(TaskRecord));
}

asio::awaitable<void> BareWait(std::atomic<std::size_t>* started) {
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
  started->fetch_add(1, std::memory_order_relaxed);
  co_await timer.async_wait(asio::use_awaitable);
}

void BM_BareCoSpawn(benchmark::State& state) {
  auto tasks = static_cast<std::size_t>(state.range(0));
  Sample total;
  for (auto _ : state) {
    std::atomic<std::size_t> started{0};
    ::malloc_trim(0);
    double malloced = MallocedBytes();
    double resident = ResidentBytes();
    auto start = Clock::now();
    auto loop = std::make_unique<asio::io_context>(1);
    for (std::size_t i = 0; i < tasks; ++i)
      asio::co_spawn(*loop, BareWait(&started), asio::detached);
    std::thread runner([&] { loop->run(); });
    AwaitCount(started, tasks);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    total.malloced += MallocedBytes() - malloced;
    total.resident += ResidentBytes() - resident;
    total.seconds_to_start += seconds;
    auto cancel = Clock::now();
    loop->stop();
    runner.join();
    loop.reset();  // destroys the waiting coroutines
    total.cancel_seconds += std::chrono::duration<double>(Clock::now() - cancel).count();
    state.SetIterationTime(seconds);
  }
  Report(state, total, tasks, 0);
}

BENCHMARK(BM_AsioWaitingTasks<WaitTaskWaiters>)
    ->Arg(10'000)
    ->Arg(100'000)
    ->UseManualTime()
    ->Iterations(3);
BENCHMARK(BM_AsioWaitingTasks<Waiters>)->Arg(10'000)->Arg(100'000)->UseManualTime()->Iterations(3);
BENCHMARK(BM_BareCoSpawn)->Arg(10'000)->Arg(100'000)->UseManualTime()->Iterations(3);

}  // namespace
}  // namespace concbench

BENCHMARK_MAIN();
