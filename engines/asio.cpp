#include "engines/asio.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "engines/pool.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

asio::awaitable<TaskRecord> RunBlockingHere(const Workload* workload, std::size_t index,
                                            std::stop_token stop) {
  co_return RunTaskBlocking(*workload, index, std::move(stop));
}

asio::awaitable<void> RunTask(const Workload* workload, std::size_t index, RunControl* control,
                              asio::thread_pool* offload_pool, TaskRecord* record) {
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
    asio::io_context loop(1);
    std::optional<asio::thread_pool> pool;
    if (offload_ && AnyBlocks(workload)) pool.emplace(workers_);
    for (std::size_t i = 0; i < run.records.size(); ++i) {
      asio::co_spawn(loop,
                     RunTask(&workload, i, &control, pool ? &*pool : nullptr, &run.records[i]),
                     asio::detached);
    }
    loop.run();
    if (pool) pool->join();
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
