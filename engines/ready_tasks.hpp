// The dependency counters of one run of a task graph: which tasks are ready to start, and what a
// task whose input did not finish kOk records instead of running. Every engine honours a
// workload's graph (Workload::graph()) through them, so that all word a skipped task the same.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "concbench/task_graph.hpp"
#include "concbench/task_record.hpp"
#include "engines/engine.hpp"

namespace concbench {

class ReadyTasks {
 public:
  // Counts every task's inputs; throws ParamError when a task has 2^31 inputs or more. `graph`
  // outlives this object.
  explicit ReadyTasks(const TaskGraph& graph);

  const TaskGraph& graph() const { return graph_; }
  std::size_t task_count() const { return count_; }
  // The tasks without inputs, in ascending order: ready when the run starts.
  const std::vector<std::size_t>& initial() const { return initial_; }

  // Task `task` finished (`ok`: kOk). Calls ready(successor) for each of its outputs whose last
  // input this was. Thread-safe and lock-free; allocates only the first time a thread calls it.
  // `ready` must not call Finish itself (its outputs are walked in a thread-local list).
  template <class Ready>
  void Finish(std::size_t task, bool ok, Ready&& ready) {
    std::vector<TaskRange>& outputs = Scratch();
    graph_.outputs(task, outputs);
    for (const TaskRange& range : outputs) {
      for (std::size_t next = range.first; next < range.first + range.count; ++next) {
        if (!ok) waiting_[next].fetch_or(kInputFailed, std::memory_order_relaxed);
        std::uint32_t before = waiting_[next].fetch_sub(1, std::memory_order_acq_rel);
        if ((before & ~kInputFailed) == 1) ready(next);
      }
    }
  }

  // True when an input of `task` did not finish kOk; meaningful once `task` is ready.
  bool input_failed(std::size_t task) const {
    return (waiting_[task].load(std::memory_order_relaxed) & kInputFailed) != 0;
  }

 private:
  static constexpr std::uint32_t kInputFailed = std::uint32_t{1} << 31;
  static std::vector<TaskRange>& Scratch();

  const TaskGraph& graph_;
  std::size_t count_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> waiting_;  // inputs not finished, | kInputFailed
  std::vector<std::size_t> initial_;
};

// The first input of `task` whose record is not kOk, or task_count() when every one is.
std::size_t FirstInputNotOk(const TaskGraph& graph, std::size_t task,
                            std::span<const TaskRecord> records);

// Records task `task`, one of whose inputs did not finish kOk, as not run: kCancelled, with
// "not run: its input task 3 (step 0, point 3) failed" (or "was cancelled").
void RecordInputNotRun(TaskRecord& record, const TaskGraph& graph, std::size_t task,
                       std::span<const TaskRecord> records);

// Task `task` finished with records[task]'s status: its outputs whose last input this was are
// handed to run(successor) when every input of theirs finished kOk; the others are recorded not
// run (RecordInputNotRun), reported to control.finished, and their outputs in turn. Once the run
// is stopped, nothing more is recorded (the tasks not reached stay kNotRun). Returns how many
// tasks it recorded not run. The same thread-safety and rule for `run` as ReadyTasks::Finish.
template <class Run>
std::size_t Settle(ReadyTasks& ready, std::size_t task, std::span<TaskRecord> records,
                   RunControl& control, Run&& run) {
  thread_local std::vector<std::size_t> skipped;
  std::size_t not_run = 0;
  std::size_t mark = skipped.size();
  bool ok = records[task].status == TaskStatus::kOk;
  auto hand = [&](std::size_t next) {
    if (ready.input_failed(next)) {
      skipped.push_back(next);
    } else {
      run(next);
    }
  };
  ready.Finish(task, ok, hand);
  while (skipped.size() > mark) {
    std::size_t next = skipped.back();
    skipped.pop_back();
    if (control.stop_requested()) continue;
    RecordInputNotRun(records[next], ready.graph(), next, records);
    control.finished(records[next].status);
    ++not_run;
    ready.Finish(next, false, hand);
  }
  return not_run;
}

}  // namespace concbench
