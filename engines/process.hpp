// `process`: a pool of --workers pre-forked worker processes. The parent sends each worker a batch
// of consecutive task indices over a socketpair, sized to about 1 ms of work by the tasks timed so
// far (1 until then, so long tasks go one at a time); a worker runs them (the workload is in its
// memory since fork) and sends each record back as its task ends. A worker that dies mid-task
// fails that task with the cause and is replaced; the later tasks of its batch go back to the
// queue. On a stop request the workers are killed: the task each was running is cancelled, the
// rest of its batch stays kNotRun; every worker is reaped before run() returns. With a graph,
// only ready tasks are queued: a task joins the queue when its last input's record comes back.
#pragma once

#include <memory>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

// --workers, --crash-rate and --seed.
std::vector<ParamSpec> ProcessParams();
std::unique_ptr<Engine> MakeProcessEngine(const Params& params);

}  // namespace concbench
