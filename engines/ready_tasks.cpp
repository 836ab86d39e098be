#include "engines/ready_tasks.hpp"

#include <fmt/format.h>

namespace concbench {

ReadyTasks::ReadyTasks(const TaskGraph& graph)
    : graph_(graph),
      count_(graph.task_count()),
      waiting_(new std::atomic<std::uint32_t>[graph.task_count()]) {
  for (std::size_t task = 0; task < count_; ++task) {
    std::size_t inputs = graph_.input_count(task);
    if (inputs >= kInputFailed) {
      throw ParamError(fmt::format("--pattern: {} has {} inputs, more than an engine counts",
                                   graph_.describe(task), inputs));
    }
    waiting_[task].store(static_cast<std::uint32_t>(inputs), std::memory_order_relaxed);
    if (inputs == 0) initial_.push_back(task);
  }
}

std::vector<TaskRange>& ReadyTasks::Scratch() {
  thread_local std::vector<TaskRange> ranges;
  return ranges;
}

std::size_t FirstInputNotOk(const TaskGraph& graph, std::size_t task,
                            std::span<const TaskRecord> records) {
  thread_local std::vector<TaskRange> inputs;
  graph.inputs(task, inputs);
  for (const TaskRange& range : inputs) {
    for (std::size_t input = range.first; input < range.first + range.count; ++input) {
      if (records[input].status != TaskStatus::kOk) return input;
    }
  }
  return graph.task_count();
}

void RecordInputNotRun(TaskRecord& record, const TaskGraph& graph, std::size_t task,
                       std::span<const TaskRecord> records) {
  std::size_t input = FirstInputNotOk(graph, task, records);
  record.status = TaskStatus::kCancelled;
  if (input >= graph.task_count()) {
    record.result = "not run: an input did not finish";
    return;
  }
  bool cancelled = records[input].status == TaskStatus::kCancelled;
  record.result = fmt::format("not run: its input {} {}", graph.describe(input),
                              cancelled ? "was cancelled" : "failed");
}

}  // namespace concbench
