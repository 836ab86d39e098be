#include "workloads/pattern_graph.hpp"

#include <algorithm>
#include <stdexcept>

#include "workloads/pattern_points.hpp"

namespace concbench {
namespace {

using P = GraphPattern;

// Steps up to which first_tasks_ is kept; past it, every step but dom's has the same width.
constexpr std::uint64_t kListedSteps = 64;

// Sum of min(k + 1, cap) for k in [0, n).
std::uint64_t CappedTriangle(std::uint64_t n, std::uint64_t cap) {
  if (n <= cap) return n * (n + 1) / 2;
  return cap * (cap + 1) / 2 + (n - cap) * cap;
}

// The first task of dom's step t: the sum of min(width, s + 1, steps - s) over s < t; the
// first ceil(steps / 2) steps rise as k + 1, the rest fall as their mirror images.
std::uint64_t DomFirst(std::uint64_t t, std::uint64_t steps, std::uint64_t width) {
  const std::uint64_t rising = steps / 2 + steps % 2;
  if (t <= rising) return CappedTriangle(t, width);
  return CappedTriangle(rising, width) + CappedTriangle(steps - rising, width) -
         CappedTriangle(steps - t, width);
}

std::size_t Overlap(std::uint64_t lo, std::uint64_t hi, std::uint64_t other_lo,
                    std::uint64_t other_hi) {
  const std::uint64_t from = std::max(lo, other_lo);
  const std::uint64_t to = std::min(hi, other_hi);
  return to < from ? 0 : to - from;
}

}  // namespace

PatternGraph::PatternGraph(const GraphShape& shape) : shape_(shape) {
  const std::string problem = ShapeProblem(shape);
  if (!problem.empty()) throw std::invalid_argument(problem);
  sets_ = DependenceSets(shape);
  const std::uint64_t listed = std::min(shape.steps, kListedSteps);
  first_tasks_.assign(1, 0);
  for (std::uint64_t t = 0; t < listed; ++t) {
    first_tasks_.push_back(first_tasks_.back() + step_width(t));
  }
  tasks_ = step_first_task(shape.steps);
  edges_ = CountEdges();
}

std::uint64_t PatternGraph::step_offset(std::uint64_t step) const {
  if (shape_.pattern != P::kDom) return 0;
  return step + shape_.width > shape_.steps ? step + shape_.width - shape_.steps : 0;
}

std::uint64_t PatternGraph::step_width(std::uint64_t step) const {
  const std::uint64_t width = shape_.width;
  if (shape_.pattern == P::kDom) return std::min({width, step + 1, shape_.steps - step});
  if (shape_.pattern == P::kTree) {
    return std::min(width, std::uint64_t{1} << std::min<std::uint64_t>(step, 62));
  }
  return width;
}

std::size_t PatternGraph::step_first_task(std::uint64_t step) const {
  if (shape_.pattern == P::kDom) return DomFirst(step, shape_.steps, shape_.width);
  const std::uint64_t last_listed = first_tasks_.size() - 1;
  if (step <= last_listed) return first_tasks_[step];
  return first_tasks_.back() + (step - last_listed) * step_width(last_listed);
}

std::uint64_t PatternGraph::dependence_set(std::uint64_t step) const {
  return DependenceSet(shape_, sets_, step);
}

std::uint64_t PatternGraph::step_of(std::size_t task) const {
  if (shape_.pattern == P::kDom) {
    std::uint64_t lo = 0;  // the last step whose first task is at most `task`
    std::uint64_t hi = shape_.steps - 1;
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo + 1) / 2;
      if (step_first_task(mid) <= task) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
  if (task < first_tasks_.back()) {
    const auto next = std::upper_bound(first_tasks_.begin(), first_tasks_.end(), task);
    return static_cast<std::uint64_t>(next - first_tasks_.begin()) - 1;
  }
  const std::uint64_t last_listed = first_tasks_.size() - 1;
  return last_listed + (task - first_tasks_.back()) / step_width(last_listed);
}

std::uint64_t PatternGraph::point_of(std::size_t task) const {
  const std::uint64_t step = step_of(task);
  return step_offset(step) + (task - step_first_task(step));
}

std::size_t PatternGraph::task_at(std::uint64_t step, std::uint64_t point) const {
  return step_first_task(step) + (point - step_offset(step));
}

void PatternGraph::PointsToTasks(std::uint64_t step, std::vector<TaskRange>& ranges) const {
  const std::uint64_t lo = step_offset(step);
  const std::uint64_t hi = lo + step_width(step);  // past the last point
  std::sort(ranges.begin(), ranges.end(),
            [](const TaskRange& a, const TaskRange& b) { return a.first < b.first; });
  const std::size_t first_task = step_first_task(step);
  std::size_t kept = 0;
  for (const TaskRange& range : ranges) {
    const std::uint64_t from = std::max<std::uint64_t>(range.first, lo);
    const std::uint64_t to = std::min<std::uint64_t>(range.first + range.count, hi);
    if (to <= from) continue;
    const std::size_t task = first_task + (from - lo);
    TaskRange* last = kept > 0 ? &ranges[kept - 1] : nullptr;
    if (last != nullptr && last->first + last->count >= task) {
      last->count = std::max(last->count, task + (to - from) - last->first);
    } else {
      ranges[kept++] = {task, to - from};
    }
  }
  ranges.resize(kept);
}

void PatternGraph::inputs(std::size_t task, std::vector<TaskRange>& ranges) const {
  ranges.clear();
  const std::uint64_t step = step_of(task);
  if (step == 0) return;
  PointInputs(shape_, sets_, step, step_offset(step) + (task - step_first_task(step)), ranges);
  PointsToTasks(step - 1, ranges);
}

void PatternGraph::outputs(std::size_t task, std::vector<TaskRange>& ranges) const {
  ranges.clear();
  const std::uint64_t step = step_of(task);
  if (step + 1 >= shape_.steps) return;
  PointOutputs(shape_, sets_, step, step_offset(step) + (task - step_first_task(step)), ranges);
  PointsToTasks(step + 1, ranges);
}

std::size_t PatternGraph::input_count(std::size_t task) const {
  thread_local std::vector<TaskRange> ranges;
  inputs(task, ranges);
  std::size_t count = 0;
  for (const TaskRange& range : ranges) count += range.count;
  return count;
}

std::string PatternGraph::describe(std::size_t task) const {
  return "task " + std::to_string(task) + " (step " + std::to_string(step_of(task)) + ", point " +
         std::to_string(point_of(task)) + ")";
}

std::uint64_t PatternGraph::StepEdges(std::uint64_t step) const {
  if (step == 0) return 0;
  if (shape_.pattern == P::kDom) {  // p reads p - 1 and p, where the previous step has them
    const std::uint64_t lo = step_offset(step);
    const std::uint64_t hi = lo + step_width(step);
    const std::uint64_t prev_lo = step_offset(step - 1);
    const std::uint64_t prev_hi = prev_lo + step_width(step - 1);
    return Overlap(lo, hi, prev_lo, prev_hi) + Overlap(lo, hi, prev_lo + 1, prev_hi + 1);
  }
  std::uint64_t edges = 0;
  for (std::size_t task = step_first_task(step); task < step_first_task(step + 1); ++task) {
    edges += input_count(task);
  }
  return edges;
}

// Steps from `stable` on repeat with the dependence sets' cycle, so one step of each set
// stands for the others. The sum fits: fewer than 2^32 tasks read fewer than 2^32 inputs each.
std::uint64_t PatternGraph::CountEdges() const {
  const std::uint64_t steps = shape_.steps;
  const bool cycles = shape_.pattern != P::kDom && shape_.pattern != P::kTree;
  const std::uint64_t stable = cycles ? 1 : (shape_.pattern == P::kTree ? 64 : steps);
  const std::uint64_t cycle = cycles ? sets_ : 1;
  std::uint64_t edges = 0;
  for (std::uint64_t t = 1; t < std::min(steps, stable); ++t) edges += StepEdges(t);
  for (std::uint64_t j = 0; j < cycle && stable + j < steps; ++j) {
    const std::uint64_t alike = (steps - stable - j + cycle - 1) / cycle;
    edges += alike * StepEdges(stable + j);
  }
  return edges;
}

}  // namespace concbench
