// The longest chain of dependent tasks through a pattern graph: the time no engine can beat.
#pragma once

#include <cstddef>
#include <functional>

#include "workloads/pattern_graph.hpp"

namespace concbench {

// The longest chain counted in tasks and, apart (it may be another chain), weighted in seconds.
struct CriticalPath {
  std::size_t tasks = 0;
  double seconds = 0.0;
};

// The critical path of `graph` where task t takes seconds(t) (a negative figure, as a task that
// did not complete, counts as 0; every task counts in `tasks`). Each input range costs O(1)
// through a range-maximum table of the previous step, so all_to_all 1000 x 1000 takes
// O(tasks log width), not O(edges).
CriticalPath LongestPath(const PatternGraph& graph,
                         const std::function<double(std::size_t task)>& seconds);

}  // namespace concbench
