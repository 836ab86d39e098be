// Failures by design, the same on every engine: --fail-rate makes a share of any workload's
// tasks throw, chosen as in seeded_choice.hpp, so every engine fails the same tasks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "concbench/workload.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {

// --fail-rate and --seed, which every workload takes.
std::vector<ParamSpec> FailureParams();

// `inner` unchanged when --fail-rate is 0, else wrapped so that the chosen tasks throw
// std::runtime_error naming the option before they start their work. Throws ParamError.
std::unique_ptr<Workload> WithFailures(std::unique_ptr<Workload> inner, const Params& params);

}  // namespace concbench
