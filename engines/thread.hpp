// `thread`: one OS thread per task, all started, then all joined. Lanes: the task count.
// Each thread gets a stack of --stack-size (default 64 KiB, enough for every built-in
// workload; a workload whose tasks need more must raise it). When the OS refuses a thread, the
// tasks already started are told to stop and joined, and the run ends with an error naming how
// many threads were started. With a graph, a task's thread is started when its inputs are done,
// by the thread that finished its last input (see engines/ready_tasks).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

// --stack-size.
std::vector<ParamSpec> ThreadParams();
// Reads --stack-size in bytes; throws ParamError when below the platform's PTHREAD_STACK_MIN or
// above 1 GiB.
std::size_t ReadStackSize(const Params& params);

std::unique_ptr<Engine> MakeThreadEngine(const Params& params);

}  // namespace concbench
