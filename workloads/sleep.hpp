// `sleep`: the I/O-bound stand-in. Task i waits delay_i: blocking engines park the thread,
// the asio engine waits on a timer. Floor: max(longest delay, total delay / lanes).
// Check: every task waited at least its delay.
#pragma once

#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> SleepParams();

// Reads --tasks and --delay, or --delays (which sets the task count). Throws ParamError.
std::unique_ptr<Workload> MakeSleepWorkload(const Params& params);

}  // namespace concbench
