// `file`: real file I/O. Task i writes --size bytes (task i's payload, workloads/payload.hpp)
// to its own file in a fresh temporary folder, optionally fsyncs it, reads it back and removes
// it. On the asio engine the blocking calls run on a small thread pool the workload owns and
// the coroutine awaits them. The folder is removed at the end of each run, and when the
// workload is destroyed (an interrupted run).
// Floor: max(longest task, total task CPU / min(lanes, cores)), each task's CPU being the
// thread CPU time its reads and writes took (device waits after --fsync are not in it).
// Check: what was read back has task i's payload's size and checksum.
#pragma once

#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> FileParams();

// Reads --tasks, --size, --dir and --fsync and creates the temporary folder. Throws ParamError
// naming --dir when the folder cannot be created there.
std::unique_ptr<Workload> MakeFileWorkload(const Params& params);

}  // namespace concbench
