// `process`: a pool of --workers pre-forked worker processes. The parent sends each worker a batch
// of consecutive task indices over a socketpair, sized to about 1 ms of work by the tasks timed so
// far (1 until then, so long tasks go one at a time); a worker runs them (the workload is in its
// memory since fork) and sends each record back as its task ends. A worker that dies mid-task
// fails that task with the cause and is replaced; the later tasks of its batch go back to the
// queue. On a stop request the workers are killed: the task each was running is cancelled, the
// rest of its batch stays kNotRun. With a graph, only ready tasks are queued: a task joins the
// queue when its last input's record comes back.
//
// Under the harness the workers start outside the clock: prepare_run forks them (after the
// workload's begin_run) and waits until each is ready, and conclude_run takes the last sample of
// their memory, then dismisses and reaps them, once the clock stopped; the run's metrics report
// the start as worker_startup_s. Without the
// harness, run() starts and reaps them itself. Workers are never kept from one run to the next:
// each is a copy of the harness made at its fork, and only a fork after begin_run carries what
// begin_run set (a per-run folder, a reset counter) into the workers. No worker outlives its run's
// conclusion, the next prepare, or the engine.
#pragma once

#include <memory>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

// --workers, --crash-rate and --seed.
std::vector<ParamSpec> ProcessParams();
std::unique_ptr<Engine> MakeProcessEngine(const Params& params);

}  // namespace concbench
