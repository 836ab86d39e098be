// `thread`: one std::thread per task, all started, then all joined. Lanes: the task count.
// When the OS refuses a thread, the tasks already started are told to stop and joined, and the
// run ends with an error naming how many threads were started.
#pragma once

#include <memory>

#include "engines/engine.hpp"

namespace concbench {

std::unique_ptr<Engine> MakeThreadEngine(const Params& params);

}  // namespace concbench
