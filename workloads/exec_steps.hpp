// The `exec` workload's point steps (--setup, --prepare, --conclude, --cleanup): each a command
// run through /bin/sh -c in the tasks' folder and environment, outside the clock
// (Workload::at_point_step).
#pragma once

#include <stop_token>
#include <string>
#include <string_view>

#include "concbench/workload.hpp"
#include "workloads/exec_config.hpp"

namespace concbench {

// The option of `step`: "setup", "prepare", "conclude" or "cleanup".
std::string_view StepOption(PointStep step);

// Runs `config`'s command for `step`, if any, with the environment `envp` (K=V, null-ended)
// and waits for it: stdin /dev/null, stdout and stderr shown with --show-output, else
// discarded. On `stop` its process group is ended (SIGTERM, SIGKILL after --grace) and reaped.
// Returns "" when it exited with status 0 (or was stopped), else why: "--prepare 'CMD': exited
// with status 3", or the reason it could not start.
std::string RunStep(const ExecConfig& config, char* const* envp, PointStep step,
                    const std::stop_token& stop);

}  // namespace concbench
