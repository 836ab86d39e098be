#include "engines/asio.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <new>
#include <optional>

#include "engines/pool.hpp"
#include "util/threads.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

asio::awaitable<TaskRecord> RunBlockingHere(const Workload* workload, std::size_t index,
                                            std::stop_token stop) {
  co_return RunTaskBlocking(*workload, index, std::move(stop));
}

asio::awaitable<void> RunTask(const Workload* workload, std::size_t index, RunControl* control,
                              asio::io_context* offload_pool, TaskRecord* record) {
  std::stop_token stop = control->token();
  if (workload->blocks_thread(index)) {
    if (offload_pool == nullptr) {
      *record = RunTaskBlocking(*workload, index, stop);
    } else {
      *record =
          co_await asio::co_spawn(offload_pool->get_executor(),
                                  RunBlockingHere(workload, index, stop), asio::use_awaitable);
    }
  } else {
    record->worker = CurrentWorkerId();
    if (stop.stop_requested()) co_return;
    record->start = TaskRecord::Clock::now();
    try {
      record->result = co_await workload->run_async(index, stop);
      record->status = TaskStatus::kOk;
    } catch (...) {
      RecordFailure(*record, std::current_exception());
    }
    record->end = TaskRecord::Clock::now();
    record->commands = workload->command_usage(index);
  }
  if (record->status != TaskStatus::kNotRun) control->finished(record->status);
}

// Ends `run` with the engine's own failure `error` (the first one) and stops its tasks.
void Fail(EngineRun& run, RunControl& control, const std::exception_ptr& error) noexcept {
  try {
    TaskRecord failure;
    RecordFailure(failure, error);
    if (run.error.empty()) run.error = "the asio engine failed: " + failure.result;
  } catch (...) {  // no memory left even for the message
  }
  control.end(EndedBy::kNone);
}

// Runs `loop` to its end. A failure thrown out of it (a task's completion, memory exhausted)
// fails the run and stops its tasks; the loop then has kFailedGrace to let them end.
void RunLoop(asio::io_context& loop, EngineRun& run, RunControl& control) {
  constexpr std::chrono::seconds kFailedGrace{1};
  std::optional<std::chrono::steady_clock::time_point> give_up;
  while (!loop.stopped()) {
    try {
      if (give_up) {
        loop.run_until(*give_up);
        if (std::chrono::steady_clock::now() >= *give_up) loop.stop();
      } else {
        loop.run();
      }
    } catch (...) {
      Fail(run, control, std::current_exception());
      if (!give_up) give_up = std::chrono::steady_clock::now() + kFailedGrace;
    }
  }
}

constexpr std::size_t kProbeEvery = 4096;                      // tasks spawned between probes
constexpr std::size_t kHeadroomBytes = std::size_t{32} << 20;  // more than kProbeEvery spawns take

// True when kHeadroomBytes more could still be had (asked for, untouched, given back).
bool HasHeadroom() {
  return std::unique_ptr<char[]>(new (std::nothrow) char[kHeadroomBytes]) != nullptr;
}

// Address space held back for the first steps of `tasks` tasks (their awaits' frames and
// timers), between 16 MiB and 1 GiB.
std::size_t RunReserveBytes(std::size_t tasks) {
  return std::clamp(tasks * 512, std::size_t{16} << 20, std::size_t{1} << 30);
}

// Lets the offload pool's threads end (their loop runs until `keep` is reset) and joins them.
void StopOffload(std::optional<asio::executor_work_guard<asio::io_context::executor_type>>& keep,
                 ThreadGroup& threads) {
  if (keep) keep->reset();
  threads.Join();
}

// True when some task of `workload` would block the loop's thread.
bool AnyBlocks(const Workload& workload) {
  for (std::size_t i = 0; i < workload.task_count(); ++i) {
    if (workload.blocks_thread(i)) return true;
  }
  return false;
}

class AsioEngine : public Engine {
 public:
  AsioEngine(unsigned workers, bool offload) : workers_(workers), offload_(offload) {}

  std::string_view name() const override { return "asio"; }

  unsigned lanes(const Workload& workload) const override {
    if (workload.kind() == TaskKind::kWait || !AnyBlocks(workload)) {
      return static_cast<unsigned>(workload.task_count());
    }
    return offload_ ? workers_ : 1;
  }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records.resize(workload.task_count());
    // The offload pool's threads run until the guard is reset, after the loop's last task.
    std::optional<asio::io_context> pool;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep;
    ThreadGroup threads;
    if (offload_ && AnyBlocks(workload)) {
      pool.emplace(static_cast<int>(workers_));
      keep.emplace(pool->get_executor());
      std::string refused = threads.Start(workers_, [&pool](std::size_t) { pool->run(); });
      if (!refused.empty()) {
        pool->stop();
        threads.Join();
        run.error = fmt::format("--offload --workers {}: {}", workers_, refused);
        return run;
      }
    }
    // Memory exhausted inside co_spawn, or while the loop is destroyed with coroutines in it,
    // ends in std::terminate (Asio allocates as it unwinds them). So spawning stops while some
    // headroom is left, and address space for the tasks' first steps is held back until the
    // loop runs: the run then fails with the reason and its tasks end at their start.
    std::unique_ptr<char[]> reserve(new (std::nothrow) char[RunReserveBytes(run.records.size())]);
    asio::io_context loop(1);
    try {
      for (std::size_t i = 0; i < run.records.size(); ++i) {
        if (i % kProbeEvery == 0 && !HasHeadroom()) {
          run.error = fmt::format("out of memory after spawning {} of {} tasks; see ulimit -v", i,
                                  run.records.size());
          control.end(EndedBy::kNone);  // the tasks spawned see it at their start
          break;
        }
        // Each task's coroutine catches its failures; what escapes ends the run with the reason.
        asio::co_spawn(loop,
                       RunTask(&workload, i, &control, pool ? &*pool : nullptr, &run.records[i]),
                       [&run, &control](std::exception_ptr error) {
                         if (error) Fail(run, control, error);
                       });
      }
    } catch (const std::bad_alloc&) {
      Fail(run, control, std::current_exception());
    }
    reserve.reset();
    RunLoop(loop, run, control);
    StopOffload(keep, threads);
    if (std::string failure = threads.failure(); !failure.empty() && run.error.empty()) {
      run.error = "an offload thread failed: " + failure;
    }
    return run;
  }
  nlohmann::json own_parameters() const override {
    return {{"offload", offload_}, {"workers", offload_ ? workers_ : 1}};
  }

 private:
  unsigned workers_;
  bool offload_;
};

}  // namespace

std::unique_ptr<Engine> MakeAsioEngine(const Params& params) {
  return std::make_unique<AsioEngine>(ReadWorkers(params), params.flag("offload"));
}

}  // namespace concbench
