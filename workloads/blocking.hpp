// `blocking`: the frozen event loop. Tasks wait their delay; the tasks chosen by --blocking
// (the first K) or --blocking-at (by index) make a blocking sleep even in their awaitable
// form (Workload::blocks_thread), as a coroutine calling time.sleep does. On the asio engine
// such a call stalls every task of the loop; with --offload it runs on the engine's pool.
// Floor: max(longest delay, total delay / lanes), what an engine that never stalls would do.
// Check: every task waited at least its delay. Metrics: blocking_calls, stalled_tasks.
#pragma once

#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> BlockingParams();

// Reads --tasks and --delay or --delays, and --blocking or --blocking-at. Throws ParamError.
std::unique_ptr<Workload> MakeBlockingWorkload(const Params& params);

}  // namespace concbench
