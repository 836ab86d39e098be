// `asio`: every task on one io_context run by the calling thread. A waiting task is a coroutine
// started on the loop: the workload's WaitTask when it has one (Workload::run_wait: its frame
// only), else its asio::awaitable, co_spawned; all wait in the loop's shared timer queue. A task
// that blocks its thread (CPU work) runs inline on the loop, blocking it (one lane), unless
// --offload sends it to a pool of --workers threads that reports its end back to the loop
// (engines/asio_offload). With a graph, a task starts (its asio::awaitable, or the pool or
// inline for a blocking one) only when its last input ended; the counts live on the loop.
#pragma once

#include <memory>

#include "engines/engine.hpp"

namespace concbench {

std::unique_ptr<Engine> MakeAsioEngine(const Params& params);

}  // namespace concbench
