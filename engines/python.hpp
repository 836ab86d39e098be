// The Python engines: a workload's tasks run by CPython's own models, in an interpreter the
// harness starts for each measured run (python/concbench_python): py-sequential (Python's
// loop, the Python reference), py-thread (a threading.Thread per task), py-pool
// (ThreadPoolExecutor), py-process (ProcessPoolExecutor), py-asyncio and py-uvloop (a coroutine
// per task on one event loop; --offload: run_in_executor). The interpreter starts, imports and
// starts its executor before the clock; each task is timed on CLOCK_MONOTONIC inside it, so
// records line up with the C++ engines'. A workload with a graph (--pattern) runs
// as its Python programmers would run it (python/concbench_python/graph_models.py): in task
// order, a thread per task waiting on its inputs' Events, pools submitting a task from its last
// input's done callback (py-process passing the inputs' data as the call's arguments), and
// coroutines awaiting their inputs' tasks; a workload without a Python form is refused.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "concbench/params.hpp"
#include "engines/engine.hpp"

namespace concbench {

enum class PythonModel { kSequential, kThread, kPool, kProcess, kAsyncio, kUvloop };

// --python (the interpreter), and the executors' --workers and --offload.
std::vector<ParamSpec> PythonParams(PythonModel model);

// Throws ParamError (--python) when the interpreter cannot run the Python engines.
template <PythonModel model>
std::unique_ptr<Engine> MakePythonEngine(const Params& params);

}  // namespace concbench
