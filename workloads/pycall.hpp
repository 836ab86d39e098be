// `pycall`: the user's own Python function as the task. Task i calls FUNCTION(i, *--args) from
// the module of --call MODULE:FUNCTION (imported with --path first on sys.path); its str() is
// the task's answer. A plain function runs on py-sequential, py-thread, py-pool and py-process,
// an `async def` on py-asyncio and py-uvloop; the C++ engines refuse it (exit 2), and so does a
// Python engine before anything runs when the module does not import, the function is missing
// or the model does not fit it. An exception fails the task with "Type: message".
// Floor: with --kind compute (the default), each task's thread CPU time spread over min(lanes,
// cores); with --kind wait, none.
// Check: the answer matches --expect-output (RE2), when given.
#pragma once

#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> PycallParams();

// Throws ParamError naming the option (--call not MODULE:FUNCTION, a bad pattern).
std::unique_ptr<Workload> MakePycallWorkload(const Params& params);

}  // namespace concbench
