// Checks of the plugin tables as a whole, made before the command line is built from them: a
// program that registers workloads of its own (concbench/registration.hpp) may have made them
// unusable.
#pragma once

#include <string>
#include <vector>

#include "concbench/workload_registry.hpp"
#include "engines/registry.hpp"

namespace concbench {

// Parameters that share a name with an earlier one (the one whose option it is) but not its
// type or choices: one command-line option cannot take both. One sentence each, naming both
// owners; empty when every name has one type.
std::vector<std::string> ParamClashes(const std::vector<WorkloadInfo>& workloads,
                                      const std::vector<EngineInfo>& engines);

// Why the registries cannot be used: the failed workload registrations, then the ParamClashes
// of the registries. Empty when they can.
std::vector<std::string> RegistryProblems();

}  // namespace concbench
