// `mpi`: every task runs on an MPI rank other than 0 (see engines/mpi_world for the world and
// engines/mpi_rank for the ranks' side). Rank 0, the harness, sends task indices: to whichever
// rank is free (dynamic, the default) or each rank its own block of tasks (static); the lanes are
// the ranks but 0. Tasks are timed on their rank and placed on rank 0's clock with the rank's
// estimated offset; a record's worker is its rank. A stop or deadline tells every rank to stop its
// task and waits kStopGrace for them. Without a world (not started by mpirun) a run fails, and
// the command line starts mpirun itself when --ranks is given (cli/mpirun). With a task graph
// (--pattern), rank 0 hands out only the tasks whose inputs finished, sends each with its inputs'
// outputs and takes its output back with its record: the data along the edges travels in the
// messages, as the ranks share no memory.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

// Why this build has no mpi engine ("": it has one). A build without MPI (CMake's CONCBENCH_MPI
// off, the default where no MPI is found) links engines/mpi_absent.cpp instead of the engine.
std::string MpiAbsence();

// --ranks, --schedule and --mpirun-args.
std::vector<ParamSpec> MpiParams();
std::unique_ptr<Engine> MakeMpiEngine(const Params& params);

// How to start mpirun for an mpi engine made outside a world.
struct MpirunLaunch {
  unsigned ranks = 0;
  std::vector<std::string> mpirun_args;  // --mpirun-args, split at spaces
};

// The launch `engine` asks for: nullopt when it is not an mpi engine or this process is in a
// world already. `ranks` 0 means --ranks was not given.
std::optional<MpirunLaunch> MpirunLaunchFor(const Engine& engine);

}  // namespace concbench
