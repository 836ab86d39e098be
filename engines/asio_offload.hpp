// The asio engine's offload pool (--offload): threads that run the tasks which would block the
// loop, and report each task's end back to the loop, as `co_await` on a pool's result resumes
// the coroutine there. Consecutive tasks go to the pool in batches, one handler each (largest
// first, down to one task as the run's end nears, so that the threads stay evenly loaded). A
// pool thread files each task's status as it ends and, at its batch's end or a millisecond
// after it last did, posts a handler to take the statuses filed (unless one is pending), so the
// loop takes many ends per wake-up, as libuv coalesces its thread pool's completions
// (uv_async_send). No coroutine frame is made: such a task has no awaitable part.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "engines/engine.hpp"
#include "util/threads.hpp"

namespace concbench {

class OffloadPool {
 public:
  // Ends reach `control` on `loop`'s thread. Both outlive the pool.
  OffloadPool(boost::asio::io_context& loop, RunControl& control);
  OffloadPool(const OffloadPool&) = delete;
  OffloadPool& operator=(const OffloadPool&) = delete;
  ~OffloadPool();

  // Starts `workers` threads; returns "" or why the OS refused one (none is left running then).
  std::string Start(unsigned workers);

  // Runs tasks first .. first + count - 1 of `workload` into `run`'s records (and command usage)
  // on the pool's threads, in batches of consecutive tasks, honouring `stop`; the loop keeps
  // running (one work guard over every task posted) until their statuses have been reported. All
  // three outlive the pool's threads. Call from the loop's thread.
  void Post(const Workload& workload, std::size_t first, std::size_t count, EngineRun& run,
            const std::stop_token& stop);

  // Calls `ended(index)` on the loop's thread after each task's status was reported (a graph's
  // run starts the outputs it made ready). Call before the first Post.
  void set_on_end(std::function<void(std::size_t)> ended) { on_end_ = std::move(ended); }

  // Lets the threads end once nothing is queued, joins them, and drops what is left (while the
  // loop still exists). Returns why a thread failed, or "".
  std::string Stop();

 private:
  // Runs tasks begin .. end - 1 in order on a pool thread, and files their statuses for the loop
  // at the batch's end and whenever kRingEvery passed since it last did, waking the loop to take
  // them unless a take is pending: a batch of short tasks wakes it about once a millisecond.
  void RunBatch(const Workload& workload, std::size_t begin, std::size_t end, EngineRun& run,
                const std::stop_token& stop);
  // Takes the statuses filed and reports them to the run. On the loop's thread.
  void TakeReturns();

  boost::asio::io_context& loop_;
  RunControl& control_;
  std::optional<boost::asio::io_context> pool_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_;
  ThreadGroup threads_;
  std::size_t workers_ = 1;
  std::mutex mutex_;
  struct Returned {
    std::size_t index;
    TaskStatus status;
  };
  std::vector<Returned> returned_;  // filed, not yet taken
  std::function<void(std::size_t)> on_end_;
  bool taking_ = false;          // a handler that takes them is pending
  std::size_t outstanding_ = 0;  // posted, not yet taken back (the loop's thread only)
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      loop_work_;  // while outstanding_ > 0
};

}  // namespace concbench
