// The patterns' names, shapes refused with the option named, SipHash's reference vector, and
// the tasks and edges of each pattern against Task Bench's own counts.
#include "workloads/patterns.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/pattern_graph.hpp"
#include "workloads/siphash.hpp"

namespace concbench {
namespace {

using P = GraphPattern;

GraphShape Shape(P pattern, std::uint64_t steps, std::uint64_t width) {
  GraphShape shape{.pattern = pattern};
  shape.steps = steps;
  shape.width = width;
  return shape;
}

TEST(Patterns, NamesRoundTripInTheEnumsOrder) {
  const std::vector<std::string>& names = PatternNames();
  ASSERT_EQ(names.size(), 11u);
  EXPECT_EQ(names.front(), "trivial");
  EXPECT_EQ(names.back(), "random_nearest");
  for (const std::string& name : names) {
    ASSERT_TRUE(PatternByName(name)) << name;
    EXPECT_EQ(PatternName(*PatternByName(name)), name);
  }
  EXPECT_FALSE(PatternByName("random_spread"));
  EXPECT_FALSE(PatternByName(""));
}

TEST(Patterns, DefaultsAreTaskBenchs) {
  EXPECT_EQ(GraphShape{}.radix, 3u);
  EXPECT_EQ(GraphShape{}.fraction, 0.25);
  EXPECT_EQ(GraphShape{.pattern = P::kSpread}.period, 3u);
  EXPECT_EQ(GraphShape{.pattern = P::kRandomNearest}.period, 3u);
  EXPECT_EQ(GraphShape{.pattern = P::kStencil1d}.period, 0u);
  EXPECT_TRUE(UsesRadix(P::kNearest));
  EXPECT_FALSE(UsesRadix(P::kStencil1d));
  EXPECT_TRUE(UsesFraction(P::kRandomNearest));
  EXPECT_FALSE(UsesFraction(P::kSpread));
}

TEST(Patterns, SipHashMatchesThePapersVector) {
  std::array<std::uint8_t, 16> key{};
  std::array<std::uint8_t, 15> message{};
  for (std::uint8_t i = 0; i < 16; ++i) key[i] = i;
  for (std::uint8_t i = 0; i < 15; ++i) message[i] = i;
  EXPECT_EQ(SipHash24(key, message.data(), message.size()), 0xa129ca6149be45e5ULL);
  EXPECT_EQ(SipHash24(key, message.data(), 0), 0x726fdb47dd0e0e31ULL);
}

std::string Problem(GraphShape shape) { return ShapeProblem(shape); }

TEST(Patterns, ShapeProblemsNameTheirOption) {
  EXPECT_EQ(Problem(Shape(P::kStencil1d, 4, 4)), "");
  EXPECT_EQ(Problem(Shape(P::kStencil1d, 4, 0)), "--width: must be at least 1");
  EXPECT_EQ(Problem(Shape(P::kStencil1d, 0, 4)), "--steps: must be at least 1");
  GraphShape wide = Shape(P::kNearest, 4, 4);
  wide.radix = 5;
  EXPECT_EQ(Problem(wide), "--radix: at most --width (4)");
  wide.pattern = P::kStencil1d;  // radix is unused there, as in Task Bench
  wide.period = 0;
  EXPECT_EQ(Problem(wide), "");
  GraphShape spread = Shape(P::kSpread, 4, 10);
  spread.radix = 0;
  EXPECT_EQ(Problem(spread), "--radix: spread needs at least 1");
  spread.radix = 3;
  spread.period = 0;
  EXPECT_EQ(Problem(spread), "--period: must be at least 1 for spread and random_nearest");
  spread.period = 5;
  EXPECT_EQ(Problem(spread), "--period: spread needs a period of at most ceil(width / radix) = 4");
  spread.period = 4;
  EXPECT_EQ(Problem(spread), "");
  GraphShape period = Shape(P::kFft, 4, 8);
  period.period = 2;
  EXPECT_EQ(Problem(period), "--period: only spread and random_nearest take a period, not fft");
  GraphShape fraction = Shape(P::kRandomNearest, 4, 8);
  fraction.fraction = 1.5;
  EXPECT_EQ(Problem(fraction), "--fraction: between 0 and 1");
  fraction.fraction = std::nan("");
  EXPECT_EQ(Problem(fraction), "--fraction: between 0 and 1");
  fraction.fraction = -0.1;
  EXPECT_EQ(Problem(fraction), "--fraction: between 0 and 1");
}

TEST(Patterns, ShapesPastTheTaskCapAreRefused) {
  EXPECT_EQ(Problem(Shape(P::kAllToAll, 65536, 65536)),
            "--steps × --width: 4294967296 tasks in a all_to_all graph, more than 4294967295");
  EXPECT_EQ(Problem(Shape(P::kNoComm, 1ULL << 40, 1ULL << 40)),
            "--steps × --width: more tasks in a no_comm graph, more than 4294967295");
  // dom and tree have fewer tasks than steps × width.
  EXPECT_EQ(Problem(Shape(P::kDom, 2, 1ULL << 40)), "");
  EXPECT_EQ(ShapeTaskCount(Shape(P::kDom, 2, 1ULL << 40)), 2u);
  EXPECT_EQ(Problem(Shape(P::kTree, 3, 1ULL << 40)), "");
  EXPECT_EQ(ShapeTaskCount(Shape(P::kTree, 100, 4)), 1u + 2 + 98 * 4);
}

struct Counts {
  P pattern;
  std::uint64_t steps, width, radix, period;
  double fraction;
  std::size_t tasks, edges;
};

// From Task Bench (StanfordLegion/task-bench, core/ and openmp/ built with make), for each row:
//   openmp/main -steps S -width W -type NAME -radix R -period P -fraction F
// reading "Total Tasks" and "Total Dependencies".
constexpr Counts kTaskBench[] = {
    {P::kTrivial, 4, 4, 3, 0, 0.25, 16, 0},
    {P::kNoComm, 5, 7, 3, 0, 0.25, 35, 28},
    {P::kStencil1d, 6, 5, 3, 0, 0.25, 30, 65},
    {P::kStencil1d, 3, 1, 3, 0, 0.25, 3, 2},
    {P::kStencil1dPeriodic, 6, 5, 3, 0, 0.25, 30, 75},
    {P::kStencil1dPeriodic, 4, 3, 3, 0, 0.25, 12, 27},
    {P::kDom, 4, 10, 3, 0, 0.25, 6, 6},
    {P::kDom, 10, 4, 3, 0, 0.25, 28, 45},
    {P::kDom, 7, 7, 3, 0, 0.25, 16, 21},
    {P::kDom, 1, 5, 3, 0, 0.25, 1, 0},
    {P::kTree, 6, 16, 3, 0, 0.25, 47, 46},
    {P::kTree, 10, 5, 3, 0, 0.25, 42, 41},
    {P::kTree, 3, 100, 3, 0, 0.25, 7, 6},
    {P::kFft, 5, 8, 3, 0, 0.25, 40, 80},
    {P::kFft, 7, 6, 3, 0, 0.25, 42, 80},
    {P::kFft, 4, 2, 3, 0, 0.25, 8, 12},
    {P::kAllToAll, 4, 7, 3, 0, 0.25, 28, 147},
    {P::kNearest, 5, 9, 0, 0, 0.25, 45, 0},
    {P::kNearest, 5, 9, 1, 0, 0.25, 45, 36},
    {P::kNearest, 5, 9, 5, 0, 0.25, 45, 156},
    {P::kNearest, 5, 9, 4, 0, 0.25, 45, 128},
    {P::kSpread, 6, 10, 3, 3, 0.25, 60, 150},
    {P::kSpread, 7, 10, 4, 2, 0.25, 70, 240},
    {P::kSpread, 5, 9, 1, 1, 0.25, 45, 36},
    {P::kSpread, 5, 9, 9, 1, 0.25, 45, 324},
    {P::kRandomNearest, 6, 10, 5, 3, 0.25, 60, 88},
    {P::kRandomNearest, 6, 10, 5, 3, 0.5, 60, 136},
    {P::kRandomNearest, 6, 10, 5, 3, 1.0, 60, 220},
    {P::kRandomNearest, 9, 20, 4, 5, 0.3, 180, 293},
};

TEST(Patterns, TasksAndEdgesAreTaskBenchs) {
  for (const Counts& row : kTaskBench) {
    const GraphShape shape{row.pattern, row.steps, row.width, row.radix, row.period, row.fraction};
    const PatternGraph graph(shape);
    SCOPED_TRACE(PatternName(row.pattern) + " " + std::to_string(row.steps) + " x " +
                 std::to_string(row.width));
    EXPECT_EQ(graph.task_count(), row.tasks);
    EXPECT_EQ(graph.edge_count(), row.edges);
  }
}

// Task Bench refuses these (its check finds an edge twice, or divides by zero); here an edge
// counts once, and fft of width 1 has one set in which a point reads only itself.
TEST(Patterns, ShapesTaskBenchRefusesHaveEdgesOnce) {
  EXPECT_EQ(PatternGraph(Shape(P::kStencil1dPeriodic, 3, 1)).edge_count(), 2u);
  EXPECT_EQ(PatternGraph(Shape(P::kStencil1dPeriodic, 3, 2)).edge_count(), 8u);
  EXPECT_EQ(PatternGraph(Shape(P::kFft, 3, 1)).edge_count(), 2u);
  GraphShape no_radix = Shape(P::kRandomNearest, 5, 10);
  no_radix.radix = 0;
  EXPECT_EQ(PatternGraph(no_radix).edge_count(), 0u);
}

TEST(Patterns, AGraphRefusesAShapeWithAProblem) {
  EXPECT_THROW(PatternGraph(Shape(P::kDom, 0, 4)), std::invalid_argument);
}

}  // namespace
}  // namespace concbench
