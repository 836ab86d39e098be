// Task Bench's dependency patterns (Slaughter et al., SC'20): a grid of `steps` x `width` points,
// each point of step t depending on points of step t - 1 as its pattern says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

// The patterns, in the order PatternNames() lists them. (Named GraphPattern: util/pattern.hpp
// already has concbench::Pattern, the user's regular expressions.)
enum class GraphPattern {
  kTrivial,            // no edges
  kNoComm,             // point p on p
  kStencil1d,          // p on p - 1, p, p + 1
  kStencil1dPeriodic,  // the same, wrapping around at the ends
  kDom,                // p on p - 1 and p; steps grow then shrink (a diagonal wavefront)
  kTree,               // p on p / 2; step t has 2^t points, up to the width
  kFft,                // p on p - 2^d, p, p + 2^d, d cycling over ceil(log2 width) sets
  kAllToAll,           // p on every point
  kNearest,            // p on the `radix` points around it
  kSpread,             // p on `radix` points spread over the width, shifted by the step
  kRandomNearest,      // p on each of the `radix` points around it with chance `fraction`
};

// The patterns' names ("trivial", ..., "random_nearest"), in the enum's order.
const std::vector<std::string>& PatternNames();
// The pattern named `name`, or nullopt when no pattern has that name.
std::optional<GraphPattern> PatternByName(std::string_view name);
// The name of `pattern`, as PatternNames() spells it.
const std::string& PatternName(GraphPattern pattern);

// Whether `pattern` reads the shape's radix (nearest, spread, random_nearest).
bool UsesRadix(GraphPattern pattern);
// Whether `pattern` takes a period (spread, random_nearest), as Task Bench's needs_period: the
// others refuse a non-zero one.
bool UsesPeriod(GraphPattern pattern);
// Whether `pattern` reads the shape's fraction (random_nearest).
bool UsesFraction(GraphPattern pattern);
// The period `pattern` gets when none is given: 3 where it takes one, else 0.
std::uint64_t DefaultPeriod(GraphPattern pattern);

// A graph's shape, with Task Bench's defaults (4 x 4, radix 3, period 3 where taken, 0.25).
struct GraphShape {
  GraphPattern pattern = GraphPattern::kTrivial;
  std::uint64_t steps = 4;
  std::uint64_t width = 4;
  std::uint64_t radix = 3;
  std::uint64_t period = DefaultPeriod(pattern);
  double fraction = 0.25;
};

// The most tasks a graph may have: dependency counters are 32-bit.
inline constexpr std::uint64_t kMaxGraphTasks = 0xffffffffULL;

// "" when `shape` makes a graph, else why not, naming the option ("--width: must be at least 1").
std::string ShapeProblem(const GraphShape& shape);

// The tasks of `shape` (Task Bench's "Total Tasks"), or nullopt past 2^64 - 1.
std::optional<std::uint64_t> ShapeTaskCount(const GraphShape& shape);

}  // namespace concbench
