// `pool`: a fixed pool of --workers threads, each taking the next task index in turn (tasks start
// in task order). Lanes: the workers.
#pragma once

#include <memory>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

// The --workers parameter, shared by every engine that keeps a fixed set of workers.
ParamSpec WorkersParam();
// Reads --workers; throws ParamError when out of range.
unsigned ReadWorkers(const Params& params);

std::unique_ptr<Engine> MakePoolEngine(const Params& params);

}  // namespace concbench
