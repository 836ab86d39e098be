// The edges among a workload's tasks, as engines see them: which tasks must finish before a task
// may start (its inputs), and which tasks wait for it (its outputs).
//
// Every input of a task has a lower index than the task, so task order is a valid order to run
// them in. A workload whose tasks depend on nothing has no graph (Workload::graph() is null) and
// engines keep their paths for independent tasks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

// The tasks first, first + 1, ..., first + count - 1.
struct TaskRange {
  std::size_t first = 0;
  std::size_t count = 0;
};

class TaskGraph {
 public:
  virtual ~TaskGraph() = default;

  virtual std::size_t task_count() const = 0;
  // Replaces `ranges` with the tasks task `task` waits for, in ascending order, none twice.
  virtual void inputs(std::size_t task, std::vector<TaskRange>& ranges) const = 0;
  // Replaces `ranges` with the tasks that wait for task `task`, in ascending order, none twice.
  virtual void outputs(std::size_t task, std::vector<TaskRange>& ranges) const = 0;
  // How many tasks task `task` waits for (the sum of its inputs' counts).
  virtual std::size_t input_count(std::size_t task) const = 0;
  // The edges of the whole graph: the sum of every task's input_count.
  virtual std::size_t edge_count() const = 0;
  // Task `task` in words for messages, e.g. "task 17 (step 2, point 1)".
  virtual std::string describe(std::size_t task) const = 0;
  // Where task `task` sits in a graph laid out as steps of points (--pattern), for timelines
  // and traces; false (the default) for a graph without such a layout.
  virtual bool place(std::size_t /*task*/, std::size_t* /*step*/, std::size_t* /*point*/) const {
    return false;
  }

  // The data along the edges, for an engine whose tasks run in processes that share no memory
  // with the harness (mpi's ranks), so that it carries the data in its messages: the bytes each
  // task writes for the tasks that wait for it (0, the default: a graph without data), a copy of
  // task `task`'s output appended to `to`, and such a copy made task `task`'s output here.
  virtual std::size_t output_size() const { return 0; }
  virtual void copy_output(std::size_t /*task*/, std::string& /*to*/) const {}
  virtual void put_output(std::size_t /*task*/, std::string_view /*bytes*/) const {}
};

}  // namespace concbench
