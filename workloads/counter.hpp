// `counter`: the tutorial's DbUpdate. Every task updates one shared counter by reading it,
// pausing --pause and writing what it read + 1. Without a lock, tasks that run at once read the
// same value and updates are lost; --lock mutex keeps them. Processes share no memory, so on
// the process engine the harness's counter stays 0 unless --shared puts it in shared memory.
// Metrics: expected (completed tasks), final, lost_updates, outcome. Check: lost updates under
// --lock mutex fail the run; without a lock they are the lesson and pass.
#pragma once

#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> CounterParams();

// Reads --tasks, --pause, --lock and --shared. Throws ParamError.
std::unique_ptr<Workload> MakeCounterWorkload(const Params& params);

}  // namespace concbench
