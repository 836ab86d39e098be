// Gathers the Context of this run: machine, OS, build and command line.
#pragma once

#include "results/result.hpp"

namespace concbench {

Context CollectContext(int argc, const char* const* argv);

// The logical CPUs this process may run on (its affinity mask).
unsigned UsableCpus();

}  // namespace concbench
