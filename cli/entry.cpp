// The concbench program, and the concbench::main target a program of your own links to get the
// same command line around the workloads it registers.
#include "concbench/main.hpp"

int main(int argc, char** argv) { return concbench::Main(argc, argv); }
