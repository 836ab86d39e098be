#include "engines/pool.hpp"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
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
    run.records.resize(workload.task_count());
    // Our own source, so a refused thread can stop the tasks already running; it follows the
    // run's.
    std::stop_source stop;
    std::stop_callback follow(control.token(), [&stop] { stop.request_stop(); });
    boost::asio::io_context queue(static_cast<int>(workers_));
    for (std::size_t i = 0; i < run.records.size(); ++i) {
      // A task still queued when the run stops returns kNotRun at once.
      boost::asio::post(queue, [&workload, &run, &control, i, token = stop.get_token()] {
        run.records[i] = RunTaskBlocking(workload, i, token);
        if (run.records[i].status != TaskStatus::kNotRun) control.finished(run.records[i].status);
      });
    }
    ThreadGroup threads;
    std::string refused = threads.Start(workers_, [&queue](std::size_t) { queue.run(); });
    if (!refused.empty()) {
      stop.request_stop();
      queue.stop();  // the tasks running end cancelled; the queued ones are never run
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
