// `sequential`: every task in the calling thread, one after another. One lane.
#pragma once

#include <memory>

#include "engines/engine.hpp"

namespace concbench {

std::unique_ptr<Engine> MakeSequentialEngine(const Params& params);

}  // namespace concbench
