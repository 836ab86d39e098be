// `concbench run -e mpi --ranks N`, run outside mpirun: starts mpirun with N copies of this
// program and the same arguments, waits for it, and returns rank 0's exit status.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/plan.hpp"
#include "engines/mpi.hpp"

namespace concbench {

// The mpirun to start when `points` run on the mpi engine outside a world (see MpirunLaunchFor):
// nullopt when none, or with *error set when --ranks is missing or differs between points.
std::optional<MpirunLaunch> MpirunLaunchOf(const std::vector<Point>& points, std::string* error);

// Runs `args` (this program's arguments, argv[1] on) under `mpirun -np ranks <mpirun_args>`.
// mpirun leads a process group of its own; a stop request sends it SIGTERM once (it ends the
// job: rank 0 writes what it measured) and SIGKILL kGrace later. Returns the status of rank 0
// when mpirun passes it on (0, 1, 2 or 130), else 1 after saying that mpirun ended the job (a
// rank died: mpirun's own message above names it); 2 when mpirun cannot start, or when it ends
// before rank 0 joined the world (it could not launch the job: --mpirun-args it refuses, a host
// it cannot reach; its own message is above).
int RunUnderMpirun(const MpirunLaunch& launch, const std::vector<std::string>& args,
                   std::stop_token stop);

// In rank 0 of a job RunUnderMpirun started: tells it that the job launched. Does nothing in a
// job it did not start.
void MarkJobLaunched();

}  // namespace concbench
