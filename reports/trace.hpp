// The Trace Event Format (chrome://tracing, Perfetto): each result's timeline as a process, each
// task as a complete ("X") event on a lane. Perfetto requires the complete events of one track
// (pid, tid) to nest; tasks of one worker overlap when it interleaves them (the asio engine's
// coroutines), so each worker's tasks are spread over the fewest lanes on which none overlap.
#pragma once

#include <ostream>
#include <vector>

#include "results/result.hpp"

namespace concbench {

// Writes {"traceEvents": [...], "displayTimeUnit": "ms"}. Result i is pid i + 1, named by its
// CommandName ("[run: ]sleep on asio (tasks=8)"), so the points of a sweep or suite differ. Each
// lane is a tid from 1, named "worker <OS thread or process id> · lane <n>" (n from 1 within
// the worker); no two events of a lane overlap (one may end where the next starts). ts and dur
// are in microseconds from the start of the result's run, on whole nanoseconds; each event's
// args hold the task, its status and its worker. Tasks that never started have no event.
void WriteTrace(std::ostream& out, const std::vector<Result>& results);

}  // namespace concbench
