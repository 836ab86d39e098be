#include "workloads/patterns.hpp"

#include <algorithm>
#include <cstddef>

namespace concbench {
namespace {

// `a` + `b` into `sum`; false past 2^64 - 1.
bool Add(std::uint64_t a, std::uint64_t b, std::uint64_t& sum) {
  return !__builtin_add_overflow(a, b, &sum);
}

bool Multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& product) {
  return !__builtin_mul_overflow(a, b, &product);
}

// dom's steps widen by one a step up to the width and narrow again towards the end: the sum of
// min(width, t + 1, steps - t) is n (steps + 1 - n) with n = min(width, ceil(steps / 2)).
std::optional<std::uint64_t> DomTasks(std::uint64_t steps, std::uint64_t width) {
  const std::uint64_t n = std::min(width, steps / 2 + steps % 2);
  std::uint64_t total = 0;
  if (!Multiply(n, steps + 1 - n, total)) return std::nullopt;
  return total;
}

// tree's step t has min(width, 2^t) points.
std::optional<std::uint64_t> TreeTasks(std::uint64_t steps, std::uint64_t width) {
  std::uint64_t total = 0;
  const std::uint64_t doubling = std::min<std::uint64_t>(steps, 62);
  for (std::uint64_t t = 0; t < doubling; ++t) {
    if (!Add(total, std::min(width, std::uint64_t{1} << t), total)) return std::nullopt;
  }
  std::uint64_t rest = 0;
  if (!Multiply(steps - doubling, std::min(width, std::uint64_t{1} << 62), rest) ||
      !Add(total, rest, total)) {
    return std::nullopt;
  }
  return total;
}

}  // namespace

const std::vector<std::string>& PatternNames() {
  static const std::vector<std::string> names = {
      "trivial",    "no_comm", "stencil_1d", "stencil_1d_periodic", "dom", "tree", "fft",
      "all_to_all", "nearest", "spread",     "random_nearest"};
  return names;
}

std::optional<GraphPattern> PatternByName(std::string_view name) {
  const std::vector<std::string>& names = PatternNames();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<GraphPattern>(i);
  }
  return std::nullopt;
}

const std::string& PatternName(GraphPattern pattern) {
  return PatternNames().at(static_cast<std::size_t>(pattern));
}

bool UsesRadix(GraphPattern pattern) {
  return pattern == GraphPattern::kNearest || pattern == GraphPattern::kSpread ||
         pattern == GraphPattern::kRandomNearest;
}

bool UsesPeriod(GraphPattern pattern) {
  return pattern == GraphPattern::kSpread || pattern == GraphPattern::kRandomNearest;
}

bool UsesFraction(GraphPattern pattern) { return pattern == GraphPattern::kRandomNearest; }

std::uint64_t DefaultPeriod(GraphPattern pattern) { return UsesPeriod(pattern) ? 3 : 0; }

std::optional<std::uint64_t> ShapeTaskCount(const GraphShape& shape) {
  if (shape.pattern == GraphPattern::kDom) return DomTasks(shape.steps, shape.width);
  if (shape.pattern == GraphPattern::kTree) return TreeTasks(shape.steps, shape.width);
  std::uint64_t total = 0;
  if (!Multiply(shape.steps, shape.width, total)) return std::nullopt;
  return total;
}

std::string ShapeProblem(const GraphShape& shape) {
  const std::string name = PatternName(shape.pattern);
  if (shape.width < 1) return "--width: must be at least 1";
  if (shape.steps < 1) return "--steps: must be at least 1";
  if (UsesRadix(shape.pattern) && shape.radix > shape.width) {
    return "--radix: at most --width (" + std::to_string(shape.width) + ")";
  }
  if (shape.pattern == GraphPattern::kSpread && shape.radix < 1) {
    return "--radix: spread needs at least 1";
  }
  if (UsesPeriod(shape.pattern) && shape.period < 1) {
    return "--period: must be at least 1 for spread and random_nearest";
  }
  if (!UsesPeriod(shape.pattern) && shape.period != 0) {
    return "--period: only spread and random_nearest take a period, not " + name;
  }
  if (shape.pattern == GraphPattern::kSpread) {
    // A longer period would wrap a later set's shifted points onto an earlier one's.
    const std::uint64_t most = shape.width / shape.radix + (shape.width % shape.radix != 0);
    if (shape.period > most) {
      return "--period: spread needs a period of at most ceil(width / radix) = " +
             std::to_string(most);
    }
  }
  if (!(shape.fraction >= 0.0 && shape.fraction <= 1.0)) return "--fraction: between 0 and 1";
  const std::optional<std::uint64_t> tasks = ShapeTaskCount(shape);
  if (!tasks || *tasks > kMaxGraphTasks) {
    const std::string count = tasks ? std::to_string(*tasks) + " tasks" : "more tasks";
    return "--steps × --width: " + count + " in a " + name + " graph, more than " +
           std::to_string(kMaxGraphTasks);
  }
  return "";
}

}  // namespace concbench
