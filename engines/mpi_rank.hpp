// The life of every rank but 0 in concbench's MPI world: serve rank 0's tasks until it says
// quit (engines/mpi_world has the messages). A rank makes its own copy of each workload from the
// recipe rank 0 sends, and runs one task at a time on a thread of its own, so that its main
// thread, the only one calling MPI, stays free to take a stop for the task under way.
#pragma once

#include "engines/mpi_world.hpp"

namespace concbench {

// Serves until rank 0 sends kQuit, then leaves the world; returns the process's exit status.
int ServeRank(const MpiWorld& world);

// The life of a process mpirun started: joins the world; rank 0 runs `command` with the
// arguments MPI left (the command line), then leaves the world; the other ranks serve it tasks.
// Returns the exit status (1 when the world cannot be joined, saying why on stderr).
int RunAsRank(int argc, char** argv, int (*command)(int argc, char** argv));

}  // namespace concbench
