// `asio`: each task a C++20 coroutine co_spawned on one io_context run by the calling thread.
// Waiting tasks wait on Asio timers. CPU tasks run inline on the loop, blocking it (one lane),
// unless --offload sends them to a pool of --workers threads and co_awaits the result.
#pragma once

#include <memory>

#include "engines/engine.hpp"

namespace concbench {

std::unique_ptr<Engine> MakeAsioEngine(const Params& params);

}  // namespace concbench
