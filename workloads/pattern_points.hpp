// Task Bench's rules per point: which points of the previous step a point reads, and which
// points of the next step read it, before any clamping to a step's points.
#pragma once

#include <cstdint>
#include <vector>

#include "concbench/task_graph.hpp"
#include "workloads/patterns.hpp"

namespace concbench {

// How many dependence sets `shape` cycles through (Task Bench's max_dependence_sets): fft's
// ceil(log2 width), at least 1; the period for spread and random_nearest; else 1.
std::uint64_t DependenceSets(const GraphShape& shape);
// The set step `step` reads its inputs with, of `sets` (Task Bench's dependence_set_at_timestep).
std::uint64_t DependenceSet(const GraphShape& shape, std::uint64_t sets, std::uint64_t step);

// Appends to `out`, as ranges of points within [0, width) that may overlap and are not sorted,
// the points of step `step` - 1 that point `point` of step `step` reads.
void PointInputs(const GraphShape& shape, std::uint64_t sets, std::uint64_t step,
                 std::uint64_t point, std::vector<TaskRange>& out);
// Appends, the same way, the points of step `step` + 1 that read point `point` of step `step`.
void PointOutputs(const GraphShape& shape, std::uint64_t sets, std::uint64_t step,
                  std::uint64_t point, std::vector<TaskRange>& out);

// Whether random_nearest's point `point` reads point `from` in set `set`: always its own
// point, else when Task Bench's hash of (0, radix, set, from, point) is below the fraction.
bool RandomIncluded(const GraphShape& shape, std::uint64_t set, std::uint64_t from,
                    std::uint64_t point);

}  // namespace concbench
