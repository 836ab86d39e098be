// Task graphs and a workload over them for engine tests: a graph given as each task's inputs
// (chains, diamonds, fans, random DAGs), and a workload whose tasks sleep briefly, count their
// runs (in-process engines), and throw at chosen tasks.
#pragma once

#include <algorithm>
#include <atomic>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "concbench/task_graph.hpp"
#include "concbench/workload.hpp"

namespace concbench::testing {

class ListGraph : public TaskGraph {
 public:
  // `inputs[t]`: the tasks task t waits for, each below t.
  explicit ListGraph(std::vector<std::vector<std::size_t>> task_inputs)
      : inputs_(std::move(task_inputs)), outputs_(inputs_.size()) {
    for (std::size_t task = 0; task < inputs_.size(); ++task) {
      std::sort(inputs_[task].begin(), inputs_[task].end());
      inputs_[task].erase(std::unique(inputs_[task].begin(), inputs_[task].end()),
                          inputs_[task].end());
      for (std::size_t input : inputs_[task]) outputs_[input].push_back(task);
      edges_ += inputs_[task].size();
    }
  }
  std::size_t task_count() const override { return inputs_.size(); }
  void inputs(std::size_t task, std::vector<TaskRange>& ranges) const override {
    Ranges(inputs_[task], ranges);
  }
  void outputs(std::size_t task, std::vector<TaskRange>& ranges) const override {
    Ranges(outputs_[task], ranges);
  }
  std::size_t input_count(std::size_t task) const override { return inputs_[task].size(); }
  std::size_t edge_count() const override { return edges_; }
  std::string describe(std::size_t task) const override {
    return "task " + std::to_string(task) + " (node " + std::to_string(task) + ")";
  }
  const std::vector<std::size_t>& input_list(std::size_t task) const { return inputs_[task]; }

 private:
  static void Ranges(const std::vector<std::size_t>& tasks, std::vector<TaskRange>& ranges) {
    ranges.clear();
    for (std::size_t task : tasks) {
      if (!ranges.empty() && ranges.back().first + ranges.back().count == task) {
        ++ranges.back().count;
      } else {
        ranges.push_back({task, 1});
      }
    }
  }
  std::vector<std::vector<std::size_t>> inputs_;
  std::vector<std::vector<std::size_t>> outputs_;
  std::size_t edges_ = 0;
};

inline ListGraph Chain(std::size_t tasks) {
  std::vector<std::vector<std::size_t>> inputs(tasks);
  for (std::size_t t = 1; t < tasks; ++t) inputs[t] = {t - 1};
  return ListGraph(std::move(inputs));
}

inline ListGraph Diamond() { return ListGraph({{}, {0}, {0}, {1, 2}}); }

// One task, `width` tasks waiting for it, one task waiting for all of them.
inline ListGraph Fan(std::size_t width) {
  std::vector<std::vector<std::size_t>> inputs(width + 2);
  for (std::size_t t = 1; t <= width; ++t) inputs[t] = {0};
  for (std::size_t t = 1; t <= width; ++t) inputs[width + 1].push_back(t);
  return ListGraph(std::move(inputs));
}

// Each task waits for up to 3 tasks drawn among the 10 before it.
inline ListGraph RandomDag(std::size_t tasks, unsigned seed) {
  std::mt19937 random(seed);
  std::vector<std::vector<std::size_t>> inputs(tasks);
  for (std::size_t t = 1; t < tasks; ++t) {
    std::size_t draws = random() % 4;
    for (std::size_t d = 0; d < draws; ++d) {
      std::size_t back = 1 + random() % std::min<std::size_t>(t, 10);
      inputs[t].push_back(t - back);
    }
  }
  return ListGraph(std::move(inputs));
}

// Tasks that wait `delay` (a timer in their awaitable form), then answer "task i"; task i throws
// when in `throw_at`. As kCompute, they block a loop's thread (asio runs them inline or offloads).
class GraphWorkload : public Workload {
 public:
  GraphWorkload(const TaskGraph& graph, Duration delay, std::set<std::size_t> throw_at = {},
                TaskKind kind = TaskKind::kWait)
      : graph_(graph),
        delay_(delay),
        kind_(kind),
        throw_at_(std::move(throw_at)),
        runs_(new std::atomic<int>[graph.task_count()]()) {}

  std::string_view name() const override { return "graph-test"; }
  TaskKind kind() const override { return kind_; }
  std::size_t task_count() const override { return graph_.task_count(); }
  const TaskGraph* graph() const override { return &graph_; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    runs_[index].fetch_add(1);
    if (delay_ > Duration::zero()) SleepBlocking(delay_, stop);
    return Answer(index);
  }
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    runs_[index].fetch_add(1);
    if (delay_ > Duration::zero()) co_await SleepAsync(delay_, stop);
    co_return Answer(index);
  }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return {{"tasks", task_count()}}; }

  int runs(std::size_t index) const { return runs_[index].load(); }

 private:
  std::string Answer(std::size_t index) const {
    if (throw_at_.count(index)) throw std::runtime_error("boom " + std::to_string(index));
    return "task " + std::to_string(index);
  }
  const TaskGraph& graph_;
  Duration delay_;
  TaskKind kind_;
  std::set<std::size_t> throw_at_;
  std::unique_ptr<std::atomic<int>[]> runs_;
};

}  // namespace concbench::testing
