#include "engines/asio.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <new>
#include <optional>
#include <utility>

#include "engines/asio_offload.hpp"
#include "engines/pool.hpp"
#include "engines/ready_tasks.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

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

// Address space held back while `tasks` tasks are spawned, for the tasks to end with when
// spawning stops early (their cancellations), between 16 MiB and 1 GiB.
std::size_t RunReserveBytes(std::size_t tasks) {
  return std::clamp(tasks * 512, std::size_t{16} << 20, std::size_t{1} << 30);
}

// True when some task of `workload` would block the loop's thread.
bool AnyBlocks(const Workload& workload) {
  for (std::size_t i = 0; i < workload.task_count(); ++i) {
    if (workload.blocks_thread(i)) return true;
  }
  return false;
}

class LoopRoot;

// A run's tasks as the loop sees them: what their completions write to.
struct LoopRun {
  const Workload& workload;
  RunControl& control;
  EngineRun& run;
  OffloadPool* offload;   // null without --offload
  std::stop_token token;  // control's
  asio::io_context& loop;
  ReadyTasks* ready = nullptr;  // a graph's counters, touched on the loop's thread only
  LoopRoot* root = nullptr;     // where its WaitTasks end
};

void StartGraphTask(LoopRun& tasks, std::size_t index);

// Task `index` of a graph ended: the outputs it made ready are posted to the offload pool or
// to the loop, to start after this completion returns.
void SettleOnLoop(LoopRun& tasks, std::size_t index) {
  if (tasks.run.records[index].status == TaskStatus::kNotRun) return;
  Settle(*tasks.ready, index, tasks.run.records, tasks.control, [&tasks](std::size_t next) {
    bool pooled = tasks.offload != nullptr && tasks.workload.blocks_thread(next);
    if (pooled) return StartGraphTask(tasks, next);  // posted to the pool: nothing runs here
    asio::post(tasks.loop, [&tasks, next] { StartGraphTask(tasks, next); });
  });
}

void Finish(LoopRun& tasks, std::size_t index, const std::exception_ptr& error,
            std::string result) noexcept;

// Where the run's WaitTasks end: in Finish, as the awaitable ones do.
class LoopRoot : public WaitRoot {
 public:
  LoopRoot(asio::io_context& loop, LoopRun& tasks) : WaitRoot(loop), tasks_(tasks) {}
  void Returned(std::size_t index, std::string value) noexcept override {
    Finish(tasks_, index, nullptr, std::move(value));
  }
  void Threw(std::size_t index, std::exception_ptr error) noexcept override {
    Finish(tasks_, index, error, {});
  }

 private:
  LoopRun& tasks_;
};

// Records how waiting task `index` ended. A failure outside its body (memory exhausted while
// recording it) fails the run.
void Finish(LoopRun& tasks, std::size_t index, const std::exception_ptr& error,
            std::string result) noexcept {
  TaskRecord& record = tasks.run.records[index];
  record.end = TaskRecord::Clock::now();
  try {
    if (error) {
      RecordFailure(record, error);
    } else {
      record.result = std::move(result);
      record.status = TaskStatus::kOk;
    }
    CollectCommandUsage(tasks.workload, index, tasks.run);
  } catch (...) {
    Fail(tasks.run, tasks.control, std::current_exception());
    return;
  }
  tasks.control.finished(record.status);
  if (tasks.ready != nullptr) SettleOnLoop(tasks, index);
}

// Starts waiting task `index` from the loop's own thread: its body runs at once, until its
// first wait. A WaitTask (Workload::run_wait) is its own and only frame; an asio::awaitable
// adds Asio's co_spawn entry frame.
void StartWaitTask(LoopRun& tasks, LoopRoot& root, asio::io_context& loop, std::size_t index) {
  TaskRecord& record = tasks.run.records[index];
  record.worker = CurrentWorkerId();
  record.start = TaskRecord::Clock::now();
  asio::awaitable<std::string> body;
  try {
    if (WaitTask lean = tasks.workload.run_wait(index, tasks.token)) {
      std::move(lean).Start(root, index);
      return;
    }
    body = tasks.workload.run_async(index, tasks.token);
  } catch (...) {
    Finish(tasks, index, std::current_exception(), {});
    return;
  }
  asio::co_spawn(loop, std::move(body),
                 [&tasks, index](std::exception_ptr error, std::string result) {
                   Finish(tasks, index, error, std::move(result));
                 });
}

// Runs blocking task `index` on the loop's thread, now: the loop stalls until it returns.
void RunInline(LoopRun& tasks, std::size_t index) {
  TaskRecord& record = tasks.run.records[index];
  RunTaskInto(record, tasks.workload, index, tasks.token, CommandSlot(tasks.run, index));
  if (record.status != TaskStatus::kNotRun) tasks.control.finished(record.status);
  if (tasks.ready != nullptr) SettleOnLoop(tasks, index);
}

// Starts task `index` of a graph, whose inputs all finished kOk: a waiting task as its
// coroutine, a blocking one on the offload pool or, without it, inline.
void StartGraphTask(LoopRun& tasks, std::size_t index) {
  if (tasks.control.stop_requested()) return;  // not reached: stays kNotRun
  if (!tasks.workload.blocks_thread(index)) {
    StartWaitTask(tasks, *tasks.root, tasks.loop, index);
  } else if (tasks.offload == nullptr) {
    RunInline(tasks, index);
  } else {
    tasks.offload->Post(tasks.workload, index, 1, tasks.run, tasks.token);
  }
}

// Spawns every task, from the loop's thread and before the loop runs anything else, so that
// all of them are in memory at once (consecutive offloaded tasks go to the pool as one range);
// stops early when the run stops or memory runs low.
void SpawnAll(LoopRun& tasks, LoopRoot& root, asio::io_context& loop) {
  std::size_t count = tasks.run.records.size();
  std::size_t offloaded = 0;  // the offloaded tasks just before i, not yet posted
  auto post = [&](std::size_t end) {
    if (offloaded > 0)
      tasks.offload->Post(tasks.workload, end - offloaded, offloaded, tasks.run, tasks.token);
    offloaded = 0;
  };
  std::size_t i = 0;
  try {
    for (; i < count && !tasks.control.stop_requested(); ++i) {
      if (i % kProbeEvery == 0 && !HasHeadroom()) {
        tasks.run.error =
            fmt::format("out of memory after spawning {} of {} tasks; see ulimit -v", i, count);
        tasks.control.end(EndedBy::kNone);  // the tasks spawned see it at their next wait
        break;
      }
      bool blocks = tasks.workload.blocks_thread(i);
      if (blocks && tasks.offload != nullptr) {
        ++offloaded;
        continue;
      }
      post(i);
      if (blocks) {
        RunInline(tasks, i);
      } else {
        StartWaitTask(tasks, root, loop, i);
      }
    }
    post(i);
  } catch (const std::bad_alloc&) {
    Fail(tasks.run, tasks.control, std::current_exception());
  }
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
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    // Memory exhausted inside co_spawn, or while the loop is destroyed with coroutines in it,
    // ends in std::terminate (Asio allocates as it unwinds them). So spawning stops while some
    // headroom is left, and address space is held back until every task has started: the run
    // then fails with the reason, and the tasks started end at their next wait.
    std::unique_ptr<char[]> reserve(new (std::nothrow) char[RunReserveBytes(run.records.size())]);
    asio::io_context loop(1);
    std::optional<OffloadPool> offload;
    if (offload_ && AnyBlocks(workload)) {
      if (std::string refused = offload.emplace(loop, control).Start(workers_); !refused.empty()) {
        run.error = fmt::format("--offload --workers {}: {}", workers_, refused);
        return run;
      }
    }
    LoopRun tasks{workload, control, run, offload ? &*offload : nullptr, control.token(), loop};
    LoopRoot root(loop, tasks);  // reported to only while the loop runs
    tasks.root = &root;
    std::optional<ReadyTasks> ready;
    if (workload.graph() != nullptr) {
      tasks.ready = &ready.emplace(*workload.graph());
      if (offload) offload->set_on_end([&tasks](std::size_t i) { SettleOnLoop(tasks, i); });
    }
    try {
      asio::post(loop, [&tasks, &root, &loop, &reserve] {
        if (tasks.ready != nullptr) {
          for (std::size_t i : tasks.ready->initial()) StartGraphTask(tasks, i);
        } else {
          SpawnAll(tasks, root, loop);
        }
        reserve.reset();
      });
    } catch (const std::bad_alloc&) {
      Fail(run, control, std::current_exception());
    }
    RunLoop(loop, run, control);
    if (offload) {
      if (std::string failure = offload->Stop(); !failure.empty() && run.error.empty()) {
        run.error = "an offload thread failed: " + failure;
      }
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
