// `spin`: the calibrated CPU-bound workload for granularity studies. Each task runs a dependency
// chain of integer steps sized to take --grain of CPU on this machine (calibrated once per
// process). Floor: tasks × grain / min(lanes, cores). Check: the chain's final value, computed
// independently by jumping ahead. --grain 0 makes empty tasks that answer "": a run's time over
// its tasks is then the engine's own cost per task (floor 0, so no efficiency).
#pragma once

#include <cstdint>
#include <memory>
#include <stop_token>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> SpinParams();

// Reads --tasks and --grain. Calibrates on first use. Throws ParamError.
std::unique_ptr<Workload> MakeSpinWorkload(const Params& params);

// Steps of the spin chain this machine runs per CPU second: the best of several short trials,
// measured once per process (thread-safe) in about 50 ms.
double SpinStepsPerSecond();

// Runs `steps` steps of the chain from `seed` and returns its final value; throws TaskCancelled
// when `stop` is requested (checked every 4096 steps).
std::uint64_t SpinChain(std::uint64_t seed, std::uint64_t steps, const std::stop_token& stop);

// The same value as SpinChain, in O(log steps) time.
std::uint64_t SpinChainJump(std::uint64_t seed, std::uint64_t steps);

}  // namespace concbench
