// `exec`: the user's own work. Task i runs a command (--cmd, or line i of --cmd-file) as a child
// process started with posix_spawn, in its own process group, and waits for it: the blocking
// form in the calling thread; the awaitable form started on a spawner thread (so that the loop's
// commands start side by side) and waited for on a pidfd watched by the awaiting coroutine's
// executor (no thread per command; workloads/spawn_async.hpp). The process engine's workers run
// them in the worker's group. Each command's CPU and peak memory (wait4) are recorded apart from
// the harness's own. A stop request (Ctrl-C, --timeout, --return-when) ends the command's group:
// SIGTERM, then SIGKILL after --grace; the group is reaped, and so is what a command leaves
// behind in it.
// Floor: with --kind compute (the default), each command's CPU time (or its lifetime when shorter:
// a command computing on several cores at once) spread over min(lanes, cores), and never below
// all the commands' CPU over the cores; with --kind wait, each command's lifetime spread over the
// lanes (as sleep's, with measured durations, so efficiency is an upper bound there).
// Check: the command started and ended with a status --expect-exit accepts (a list, or any with
// --ignore-failure), its output matching --expect-output; a task that fails either is a failed
// task with the reason. --show-output lets the commands' stdout and stderr through instead.
// Point steps (workloads/exec_steps.hpp): --setup, --prepare, --conclude and --cleanup, run by
// the harness outside the clock; one that fails stops the point.
#pragma once

#include <memory>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> ExecParams();

// Reads the parameters (workloads/exec_config.hpp). Throws ParamError naming the option.
std::unique_ptr<Workload> MakeExecWorkload(const Params& params);

}  // namespace concbench
