#include "engines/pool.hpp"

#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "util/threads.hpp"

namespace concbench {
namespace {

class PoolEngine : public Engine {
 public:
  explicit PoolEngine(unsigned workers) : workers_(workers) {}

  std::string_view name() const override { return "pool"; }

  unsigned lanes(const Workload&) const override { return workers_; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records = take_records(workload);
    // Our own source, so a refused thread can stop the tasks already running; it follows the
    // run's.
    std::stop_source stop;
    std::stop_callback follow(control.token(), [&stop] { stop.request_stop(); });
    // Each worker takes the next task index until none is left or the run stops; the tasks
    // not taken then stay kNotRun.
    std::atomic<std::size_t> next{0};
    auto work = [&workload, &run, &control, &next, token = stop.get_token()](std::size_t) {
      for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
           i < run.records.size() && !token.stop_requested();
           i = next.fetch_add(1, std::memory_order_relaxed)) {
        TaskRecord& record = run.records[i];
        RunTaskInto(record, workload, i, token);
        if (record.status != TaskStatus::kNotRun) control.finished(record.status);
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
