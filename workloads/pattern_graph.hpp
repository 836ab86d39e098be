// A Task Bench pattern as a TaskGraph: task indices run over step 0's points in ascending order,
// then step 1's, and so on; each step's points are Task Bench's [offset, offset + width).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "concbench/task_graph.hpp"
#include "workloads/patterns.hpp"

namespace concbench {

class PatternGraph : public TaskGraph {
 public:
  // `shape` must pass ShapeProblem; throws std::invalid_argument with its reason otherwise.
  // Counts the edges once, in time linear in the tasks of the steps that differ.
  explicit PatternGraph(const GraphShape& shape);

  const GraphShape& shape() const { return shape_; }
  std::size_t task_count() const override { return tasks_; }
  // Task Bench's dependencies(dset, point) of the task's step, clamped to the previous step's
  // points; none for step 0.
  void inputs(std::size_t task, std::vector<TaskRange>& ranges) const override;
  // The tasks of the next step whose inputs hold `task`, computed without listing edges.
  void outputs(std::size_t task, std::vector<TaskRange>& ranges) const override;
  std::size_t input_count(std::size_t task) const override;
  // Task Bench's "Total Dependencies", except that an edge is counted once where Task Bench
  // counts it twice (stencil_1d_periodic of width 1 or 2, which Task Bench refuses).
  std::size_t edge_count() const override { return edges_; }
  std::string describe(std::size_t task) const override;
  bool place(std::size_t task, std::size_t* step, std::size_t* point) const override {
    *step = step_of(task);
    *point = point_of(task);
    return true;
  }

  // Step `step`'s first point (Task Bench's offset_at_timestep) and its number of points
  // (width_at_timestep), for step < steps.
  std::uint64_t step_offset(std::uint64_t step) const;
  std::uint64_t step_width(std::uint64_t step) const;
  // The index of step `step`'s first task; task_count() for step == steps.
  std::size_t step_first_task(std::uint64_t step) const;
  // The dependence set step `step` reads its inputs with (Task Bench's
  // dependence_set_at_timestep).
  std::uint64_t dependence_set(std::uint64_t step) const;
  // The step and point of task `task` < task_count(); the task at a step's point.
  std::uint64_t step_of(std::size_t task) const;
  std::uint64_t point_of(std::size_t task) const;
  std::size_t task_at(std::uint64_t step, std::uint64_t point) const;

 private:
  // Clamps `ranges` of points to step `step`'s, sorts and merges them, and makes them tasks.
  void PointsToTasks(std::uint64_t step, std::vector<TaskRange>& ranges) const;
  std::uint64_t StepEdges(std::uint64_t step) const;
  std::uint64_t CountEdges() const;

  GraphShape shape_;
  std::uint64_t sets_ = 1;                // Task Bench's max_dependence_sets
  std::vector<std::size_t> first_tasks_;  // steps [0, min(steps, 64)]: their first task
  std::size_t tasks_ = 0;
  std::size_t edges_ = 0;
};

}  // namespace concbench
