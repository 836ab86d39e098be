// Tasks that depend on tasks: --pattern arranges any workload's tasks as a Task Bench graph
// (workloads/patterns.hpp) of --steps × --width points, each waiting for points of the step
// before. Data travels along every edge: each task writes --output-bytes made of its (step,
// point) and, before it starts, checks every input it reads, so that a task started before its
// inputs finished, or given another task's output, fails naming the edge.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "concbench/workload.hpp"
#include "workloads/edge_data.hpp"

namespace concbench {

// --pattern, --steps, --width, --radix, --period, --fraction and --output-bytes, which every
// workload with a --tasks count takes.
std::vector<ParamSpec> GraphParams();

// The workload `make` makes from `params`, unchanged when --pattern is none; else made with
// --tasks set to the graph's task count and wrapped so that its tasks are the graph's. Throws
// ParamError naming the option (a bad shape, --tasks given beside --pattern, a workload without
// --tasks, a graph option without --pattern) before anything runs.
std::unique_ptr<Workload> WithGraph(
    const Params& params, const std::function<std::unique_ptr<Workload>(const Params&)>& make);

}  // namespace concbench
