// The table of workloads: name, description, parameters and factory. Drives `concbench list`,
// option validation and "did you mean" hints. Programs of their own add rows (registration.hpp).
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

struct WorkloadInfo {
  std::string_view name;
  std::string_view description;
  std::vector<ParamSpec> params;
  // Throws ParamError naming the option when a parameter is out of range.
  std::function<std::unique_ptr<Workload>(const Params& params)> make;
  // Engines the workload cannot run on, and why, for `concbench list` (the made workload's
  // needs() decide, through CannotRun). Empty: every engine.
  std::string_view engine_limits = "";
  // Left out of "all" and of a run that names no workload: it needs options only the user can
  // give (exec's --cmd).
  bool named_only = false;
};

// Every workload, in the order the default comparison runs them (the registered ones last).
const std::vector<WorkloadInfo>& WorkloadRegistry();
// The workload named `name`, or nullptr.
const WorkloadInfo* FindWorkload(std::string_view name);

}  // namespace concbench
