#include "workloads/critical_path.hpp"

#include <algorithm>
#include <bit>
#include <vector>

namespace concbench {
namespace {

// A sparse table: the maximum of any range of a step's values in O(1) after O(n log n) work.
class RangeMax {
 public:
  void Build(const std::vector<double>& values) {
    const std::size_t n = values.size();
    levels_.resize(static_cast<std::size_t>(std::bit_width(n)));
    levels_[0] = values;
    for (std::size_t k = 1; k < levels_.size(); ++k) {
      const std::size_t half = std::size_t{1} << (k - 1);
      const std::vector<double>& below = levels_[k - 1];
      std::vector<double>& level = levels_[k];
      level.resize(n - 2 * half + 1);
      for (std::size_t i = 0; i < level.size(); ++i) {
        level[i] = std::max(below[i], below[i + half]);
      }
    }
  }

  // The maximum of values [first, first + count), count >= 1.
  double Max(std::size_t first, std::size_t count) const {
    const auto k = static_cast<std::size_t>(std::bit_width(count)) - 1;
    const std::vector<double>& level = levels_[k];
    return std::max(level[first], level[first + count - (std::size_t{1} << k)]);
  }

 private:
  std::vector<std::vector<double>> levels_;
};

}  // namespace

CriticalPath LongestPath(const PatternGraph& graph,
                         const std::function<double(std::size_t task)>& seconds) {
  CriticalPath path;
  RangeMax prev_tasks;
  RangeMax prev_seconds;
  std::vector<double> tasks;  // the longest chain ending at each task of the step, in tasks
  std::vector<double> times;  // the same in seconds
  std::vector<TaskRange> ranges;
  const std::uint64_t steps = graph.shape().steps;
  for (std::uint64_t step = 0; step < steps; ++step) {
    const std::size_t first = graph.step_first_task(step);
    const std::size_t end = graph.step_first_task(step + 1);
    const std::size_t prev_first = step > 0 ? graph.step_first_task(step - 1) : 0;
    tasks.assign(end - first, 0.0);
    times.assign(end - first, 0.0);
    for (std::size_t task = first; task < end; ++task) {
      double before_tasks = 0.0;
      double before_seconds = 0.0;
      graph.inputs(task, ranges);
      for (const TaskRange& range : ranges) {
        before_tasks =
            std::max(before_tasks, prev_tasks.Max(range.first - prev_first, range.count));
        before_seconds =
            std::max(before_seconds, prev_seconds.Max(range.first - prev_first, range.count));
      }
      tasks[task - first] = before_tasks + 1.0;
      times[task - first] = before_seconds + std::max(seconds(task), 0.0);
      path.tasks = std::max(path.tasks, static_cast<std::size_t>(tasks[task - first]));
      path.seconds = std::max(path.seconds, times[task - first]);
    }
    prev_tasks.Build(tasks);
    prev_seconds.Build(times);
  }
  return path;
}

}  // namespace concbench
