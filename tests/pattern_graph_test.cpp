// Every pattern over a grid of shapes: inputs in order and before their task, outputs the exact
// mirror of inputs, the counts their sums; the critical path against a plain walk of the edges.
#include "workloads/pattern_graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "workloads/critical_path.hpp"

namespace concbench {
namespace {

using P = GraphPattern;

// Small shapes of every pattern that make a graph, radix, period and fraction varied.
std::vector<GraphShape> SmallShapes() {
  std::vector<GraphShape> shapes;
  for (std::size_t p = 0; p < PatternNames().size(); ++p) {
    const auto pattern = static_cast<P>(p);
    for (std::uint64_t steps : {1u, 2u, 3u, 5u, 9u}) {
      for (std::uint64_t width : {1u, 2u, 3u, 4u, 7u, 8u, 13u}) {
        for (std::uint64_t radix : {0u, 1u, 2u, 3u, 5u}) {
          for (std::uint64_t period : {1u, 2u, 3u}) {
            for (double fraction : {0.0, 0.5, 1.0}) {
              GraphShape shape{pattern, steps, width, radix, period, fraction};
              if (!UsesPeriod(pattern)) shape.period = 0;
              if (ShapeProblem(shape).empty()) shapes.push_back(shape);
            }
          }
        }
      }
    }
  }
  return shapes;
}

std::string Name(const GraphShape& s) {
  return PatternName(s.pattern) + " " + std::to_string(s.steps) + "x" + std::to_string(s.width) +
         " radix " + std::to_string(s.radix) + " period " + std::to_string(s.period) +
         " fraction " + std::to_string(s.fraction);
}

std::set<std::size_t> Tasks(const std::vector<TaskRange>& ranges) {
  std::set<std::size_t> tasks;
  for (const TaskRange& range : ranges) {
    for (std::size_t t = range.first; t < range.first + range.count; ++t) tasks.insert(t);
  }
  return tasks;
}

// Ascending, non-empty, neither overlapping nor touching.
bool Ordered(const std::vector<TaskRange>& ranges) {
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].count == 0) return false;
    if (i > 0 && ranges[i - 1].first + ranges[i - 1].count >= ranges[i].first) return false;
  }
  return true;
}

TEST(PatternGraph, OutputsMirrorInputsOnEveryShape) {
  std::vector<TaskRange> ranges;
  for (const GraphShape& shape : SmallShapes()) {
    SCOPED_TRACE(Name(shape));
    const PatternGraph graph(shape);
    const std::size_t n = graph.task_count();
    std::vector<std::set<std::size_t>> readers(n);
    std::size_t edges = 0;
    for (std::size_t task = 0; task < n; ++task) {
      ASSERT_EQ(graph.task_at(graph.step_of(task), graph.point_of(task)), task);
      graph.inputs(task, ranges);
      ASSERT_TRUE(Ordered(ranges));
      const std::set<std::size_t> inputs = Tasks(ranges);
      EXPECT_EQ(graph.input_count(task), inputs.size());
      edges += inputs.size();
      for (std::size_t input : inputs) {
        ASSERT_LT(input, task);
        EXPECT_EQ(graph.step_of(input) + 1, graph.step_of(task));
        readers[input].insert(task);
      }
    }
    EXPECT_EQ(graph.edge_count(), edges);
    for (std::size_t task = 0; task < n; ++task) {
      graph.outputs(task, ranges);
      ASSERT_TRUE(Ordered(ranges));
      ASSERT_EQ(Tasks(ranges), readers[task]) << graph.describe(task);
    }
  }
}

TEST(PatternGraph, StepsFollowTaskBenchsOffsetsAndWidths) {
  const PatternGraph dom(GraphShape{.pattern = P::kDom, .steps = 5, .width = 3});
  const std::vector<std::uint64_t> offsets = {0, 0, 0, 1, 2};
  const std::vector<std::uint64_t> widths = {1, 2, 3, 2, 1};
  for (std::uint64_t t = 0; t < 5; ++t) {
    EXPECT_EQ(dom.step_offset(t), offsets[t]);
    EXPECT_EQ(dom.step_width(t), widths[t]);
  }
  EXPECT_EQ(dom.task_count(), 9u);
  EXPECT_EQ(dom.describe(7), "task 7 (step 3, point 2)");
  EXPECT_EQ(dom.task_at(4, 2), 8u);
  const PatternGraph tree(GraphShape{.pattern = P::kTree, .steps = 100, .width = 5});
  EXPECT_EQ(tree.step_first_task(3), 1u + 2 + 4);
  EXPECT_EQ(tree.step_of(tree.task_count() - 1), 99u);
  EXPECT_EQ(tree.point_of(tree.task_count() - 1), 4u);
  const PatternGraph fft(GraphShape{.pattern = P::kFft, .steps = 4, .width = 8});
  EXPECT_EQ(fft.dependence_set(1), 0u);
  EXPECT_EQ(fft.dependence_set(3), 2u);
}

TEST(PatternGraph, LongDomAndTreeGraphsCountTheirEdges) {
  const PatternGraph dom(GraphShape{.pattern = P::kDom, .steps = 100000, .width = 3});
  EXPECT_EQ(dom.task_count(), 3u * 100000 - 2 - 2 * 1 - 2);  // 1 2 3 ... 3 2 1
  EXPECT_EQ(dom.step_of(dom.task_count() - 1), 99999u);
  const PatternGraph tree(GraphShape{.pattern = P::kTree, .steps = 1000, .width = 4});
  EXPECT_EQ(tree.edge_count(), tree.task_count() - 1);
}

// The longest chains by dynamic programming over every edge.
CriticalPath Walked(const PatternGraph& graph, const std::vector<double>& seconds) {
  std::vector<std::size_t> tasks(graph.task_count());
  std::vector<double> times(graph.task_count());
  std::vector<TaskRange> ranges;
  CriticalPath path;
  for (std::size_t task = 0; task < graph.task_count(); ++task) {
    graph.inputs(task, ranges);
    for (std::size_t input : Tasks(ranges)) {
      tasks[task] = std::max(tasks[task], tasks[input]);
      times[task] = std::max(times[task], times[input]);
    }
    tasks[task] += 1;
    times[task] += std::max(seconds[task], 0.0);
    path.tasks = std::max(path.tasks, tasks[task]);
    path.seconds = std::max(path.seconds, times[task]);
  }
  return path;
}

TEST(PatternGraph, LongestPathMatchesAWalkOfEveryEdge) {
  for (const GraphShape& shape : SmallShapes()) {
    SCOPED_TRACE(Name(shape));
    const PatternGraph graph(shape);
    std::vector<double> seconds(graph.task_count());
    for (std::size_t t = 0; t < seconds.size(); ++t) {
      seconds[t] = static_cast<double>((t * 7919) % 13) - 2.0;  // some negative: not completed
    }
    const CriticalPath fast = LongestPath(graph, [&](std::size_t t) { return seconds[t]; });
    const CriticalPath walked = Walked(graph, seconds);
    EXPECT_EQ(fast.tasks, walked.tasks);
    EXPECT_DOUBLE_EQ(fast.seconds, walked.seconds);
  }
}

TEST(PatternGraph, LongestPathOfSimplePatterns) {
  const auto one = [](std::size_t) { return 1.0; };
  const PatternGraph stencil(GraphShape{.pattern = P::kStencil1d, .steps = 7, .width = 5});
  EXPECT_EQ(LongestPath(stencil, one).tasks, 7u);
  EXPECT_EQ(LongestPath(stencil, one).seconds, 7.0);
  const PatternGraph trivial(GraphShape{.pattern = P::kTrivial, .steps = 7, .width = 5});
  EXPECT_EQ(LongestPath(trivial, one).tasks, 1u);
  const PatternGraph all(GraphShape{.pattern = P::kAllToAll, .steps = 200, .width = 200});
  const CriticalPath path =
      LongestPath(all, [](std::size_t t) { return t % 200 == 3 ? 2.0 : 1.0; });
  EXPECT_EQ(path.tasks, 200u);
  EXPECT_EQ(path.seconds, 400.0);
  EXPECT_EQ(all.edge_count(), 199u * 200 * 200);
}

}  // namespace
}  // namespace concbench
