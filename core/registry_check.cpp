#include "core/registry_check.hpp"

#include <fmt/format.h>

#include <map>

#include "concbench/registration.hpp"

namespace concbench {

std::vector<std::string> ParamClashes(const std::vector<WorkloadInfo>& workloads,
                                      const std::vector<EngineInfo>& engines) {
  struct Owned {
    const ParamSpec* spec;
    std::string owner;  // "the sleep workload"
  };
  std::map<std::string, Owned> first;  // by parameter name
  std::vector<std::string> clashes;
  auto add = [&](const std::vector<ParamSpec>& specs, std::string owner) {
    for (const ParamSpec& spec : specs) {
      auto [it, inserted] = first.try_emplace(spec.name, Owned{&spec, owner});
      const ParamSpec& earlier = *it->second.spec;
      if (inserted || (earlier.type == spec.type && earlier.choices == spec.choices)) continue;
      clashes.push_back(fmt::format(
          "--{}: the parameter of {} has another type (or other choices) than that of {}, and "
          "one option cannot take both",
          spec.name, owner, it->second.owner));
    }
  };
  for (const WorkloadInfo& info : workloads) {
    add(info.params, fmt::format("the {} workload", info.name));
  }
  for (const EngineInfo& info : engines) {
    add(info.params, fmt::format("the {} engine", info.name));
  }
  return clashes;
}

std::vector<std::string> RegistryProblems() {
  std::vector<std::string> problems = WorkloadRegistrationErrors();
  for (std::string& clash : ParamClashes(WorkloadRegistry(), EngineRegistry())) {
    problems.push_back(std::move(clash));
  }
  return problems;
}

}  // namespace concbench
