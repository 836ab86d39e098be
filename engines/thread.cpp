#include "engines/thread.hpp"

#include <fmt/format.h>

#include <system_error>
#include <thread>

namespace concbench {
namespace {

class ThreadEngine : public Engine {
 public:
  std::string_view name() const override { return "thread"; }

  unsigned lanes(const Workload& workload) const override {
    return static_cast<unsigned>(workload.task_count());
  }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records.resize(workload.task_count());
    // Our own source, so a refused thread can stop its siblings; it follows the run's.
    std::stop_source stop;
    std::stop_callback follow(control.token(), [&stop] { stop.request_stop(); });
    std::vector<std::thread> threads;
    threads.reserve(run.records.size());
    for (std::size_t i = 0; i < run.records.size() && !stop.stop_requested(); ++i) {
      try {
        threads.emplace_back([&workload, &run, &control, i, token = stop.get_token()] {
          run.records[i] = RunTaskBlocking(workload, i, token);
          if (run.records[i].status != TaskStatus::kNotRun) control.finished(run.records[i].status);
        });
      } catch (const std::exception& e) {
        // std::system_error (EAGAIN) when the OS refuses; std::bad_alloc is possible too.
        run.error = fmt::format(
            "the OS refused thread {} of {} ({}); {} threads were started, then stopped. "
            "Use the pool or asio engine for this many tasks.",
            i + 1, run.records.size(), e.what(), threads.size());
        stop.request_stop();
      }
    }
    for (std::thread& thread : threads) thread.join();
    return run;
  }
  nlohmann::json own_parameters() const override { return nlohmann::json::object(); }
};

}  // namespace

std::unique_ptr<Engine> MakeThreadEngine(const Params&) { return std::make_unique<ThreadEngine>(); }

}  // namespace concbench
