// The concbench command line as a function. A program of your own registers its workloads
// (workload_registry.hpp) and runs every command on them beside the shipped ones, either by
// linking concbench::main (whose main calls Main) or from a main of its own.
#pragma once

namespace concbench {

// Runs the command line `argv` (argv[0] being the program) as the concbench program does and
// returns its exit status: 0, 1 (a task or check failed), 2 (bad input, or a workload that could
// not be registered: each reason is printed first), 130 (interrupted). While it runs it takes
// SIGINT and SIGTERM in a thread of its own (threads started after it inherit them blocked) and
// ignores SIGPIPE. Call it once.
int Main(int argc, char** argv);

}  // namespace concbench
