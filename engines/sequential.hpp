// `sequential`: every task in the calling thread, one after another. One lane. A graph's tasks
// run in task order (a valid order); a task whose input did not finish kOk is recorded not run.
#pragma once

#include <memory>

#include "engines/engine.hpp"

namespace concbench {

std::unique_ptr<Engine> MakeSequentialEngine(const Params& params);

}  // namespace concbench
