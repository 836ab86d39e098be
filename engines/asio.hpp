// `asio`: every task on one io_context run by the calling thread. A waiting task is a coroutine
// started on the loop: the workload's WaitTask when it has one (Workload::run_wait: its frame
// only), else its asio::awaitable, co_spawned; all wait in the loop's shared timer queue. A task
// that blocks its thread (CPU work) runs inline on the loop, blocking it (one lane), unless
// --offload sends it to a pool of --workers threads that reports its end back to the loop
// (engines/asio_offload).
#pragma once

#include <memory>

#include "engines/engine.hpp"

namespace concbench {

std::unique_ptr<Engine> MakeAsioEngine(const Params& params);

}  // namespace concbench
