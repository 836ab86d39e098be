// Gathers the Context of this run: machine, OS, build and command line.
#pragma once

#include "results/result.hpp"
#include "util/os.hpp"  // UsableCpus, which a run's context reports

namespace concbench {

Context CollectContext(int argc, const char* const* argv);

}  // namespace concbench
