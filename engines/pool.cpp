#include "engines/pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "engines/pool_graph.hpp"
#include "util/os.hpp"
#include "util/threads.hpp"

namespace concbench {

std::size_t NextChunk(std::size_t size, std::chrono::nanoseconds took, std::size_t left,
                      unsigned workers) {
  constexpr auto kTarget = std::chrono::microseconds(100);
  if (took < kTarget) {
    size *= 2;
  } else if (took > 2 * kTarget) {
    size /= 2;
  }
  std::size_t guided = left / (2 * std::size_t{std::max(1u, workers)});
  return std::clamp<std::size_t>(size, 1, std::max<std::size_t>(1, guided));
}

namespace {

// A cache line, so that counters written by different threads do not share one.
constexpr std::size_t kCacheLine = 64;

// The task indices not yet taken, handed out in runs of consecutive indices (chunks). The
// counter has a cache line of its own: the workers write only it, once per chunk.
struct TaskClaims {
  TaskClaims(std::size_t tasks, unsigned threads) : count(tasks), workers(std::max(1u, threads)) {}
  alignas(kCacheLine) std::atomic<std::size_t> next{0};
  alignas(kCacheLine) const std::size_t count;
  const unsigned workers;
};

constexpr auto kReportAfter = std::chrono::milliseconds(1);

// A worker's loop: claims chunks until none is left or the run stops, running each chunk's
// tasks in task order and checking the stop before each task (the rest of a chunk stays
// kNotRun). Finished tasks are reported one by one when --return-when needs each end, else once
// per chunk, and as they end once the chunk has run for kReportAfter (progress does not lag).
void RunClaims(TaskClaims& claims, const Workload& workload, std::vector<TaskRecord>& records,
               std::vector<ProcessUsage>& commands, RunControl& control,
               const std::stop_token& token) {
  bool each = control.reports_each();
  std::size_t chunk = 1;
  while (!token.stop_requested()) {
    std::size_t begin = claims.next.fetch_add(chunk, std::memory_order_relaxed);
    if (begin >= claims.count) return;
    std::size_t end = std::min(claims.count, begin + chunk);
    std::size_t finished = 0;
    std::size_t i = begin;
    for (; i < end && !token.stop_requested(); ++i) {
      RunTaskInto(records[i], workload, i, token, CommandSlot(commands, i));
      if (records[i].status == TaskStatus::kNotRun) break;
      if (each) {
        control.finished(records[i].status);
        continue;
      }
      ++finished;
      if (records[i].end - records[begin].start > kReportAfter) {  // long tasks: no lag
        control.finished_many(finished);
        finished = 0;
      }
    }
    if (finished > 0) control.finished_many(finished);
    if (i == begin) return;  // stopped before the chunk's first task
    chunk = NextChunk(chunk, records[i - 1].end - records[begin].start, claims.count - end,
                      claims.workers);
  }
}

class PoolEngine : public Engine {
 public:
  explicit PoolEngine(unsigned workers) : workers_(workers) {}

  std::string_view name() const override { return "pool"; }

  unsigned lanes(const Workload&) const override { return workers_; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    // Our own source, so a refused thread can stop the tasks already running; it follows the
    // run's.
    std::stop_source stop;
    std::stop_callback follow(control.token(), [&stop] { stop.request_stop(); });
    TaskClaims claims(run.records.size(), workers_);
    std::optional<ReadyQueue> graph;  // a graph's tasks: ready ones from a queue, not claims
    if (workload.graph() != nullptr) {
      graph.emplace(workload, *workload.graph(), run.records, run.commands, control,
                    /*spin=*/workers_ <= UsableCpus());
    }
    auto work = [&workload, &run, &control, &claims, &graph,
                 token = stop.get_token()](std::size_t) {
      if (graph) {
        graph->Work(token);
      } else {
        RunClaims(claims, workload, run.records, run.commands, control, token);
      }
    };
    ThreadGroup threads;
    std::string refused = threads.Start(workers_, work);
    if (!refused.empty()) {
      stop.request_stop();  // the tasks running end cancelled; the rest are never taken
      run.error = fmt::format("--workers {}: {}", workers_, refused);
    }
    threads.Join();
    if (std::string failure = threads.failure(); !failure.empty() && run.error.empty()) {
      run.error = "a pool thread failed: " + failure;
    }
    return run;
  }
  nlohmann::json own_parameters() const override { return {{"workers", workers_}}; }

 private:
  unsigned workers_;
};

}  // namespace

ParamSpec WorkersParam() {
  unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  return {"workers", ParamType::kCount, std::to_string(hardware),
          "worker threads or processes of the pool, process and asio --offload engines"};
}

unsigned ReadWorkers(const Params& params) {
  std::uint64_t workers = params.count("workers");
  if (workers > 4096) throw ParamError("--workers: at most 4096");
  return static_cast<unsigned>(workers);
}

std::unique_ptr<Engine> MakePoolEngine(const Params& params) {
  return std::make_unique<PoolEngine>(ReadWorkers(params));
}

}  // namespace concbench
