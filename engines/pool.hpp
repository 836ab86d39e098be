// `pool`: a fixed pool of --workers threads claiming tasks from one counter in chunks of
// consecutive indices: a worker's chunk starts at one task and doubles while a chunk takes under
// 100 µs (halves above 200 µs), never more than the tasks left over twice the workers. Tasks start
// in task order within a chunk; a stop is seen before each task. Lanes: the workers. A graph's
// tasks come from a ready queue instead (engines/pool_graph).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

// The --workers parameter, shared by every engine that keeps a fixed set of workers.
ParamSpec WorkersParam();
// Reads --workers; throws ParamError when out of range.
unsigned ReadWorkers(const Params& params);

// The size of a pool worker's next chunk after one of `size` tasks that took `took`, with `left`
// tasks not yet claimed among `workers` workers: doubled under 100 µs, halved over 200 µs, never
// more than left / (2 × workers) (guided scheduling), never below 1.
std::size_t NextChunk(std::size_t size, std::chrono::nanoseconds took, std::size_t left,
                      unsigned workers);

std::unique_ptr<Engine> MakePoolEngine(const Params& params);

}  // namespace concbench
