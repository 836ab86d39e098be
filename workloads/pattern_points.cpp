#include "workloads/pattern_points.hpp"

#include <algorithm>
#include <array>

#include "workloads/siphash.hpp"

namespace concbench {
namespace {

using P = GraphPattern;

// Task Bench's key: the bytes 1 to 15, then 0.
constexpr std::array<std::uint8_t, 16> kHashKey = {1, 2,  3,  4,  5,  6,  7,  8,
                                                   9, 10, 11, 12, 13, 14, 15, 0};

// Points [lo, hi] as a range; nothing when hi < lo.
void AddPoints(std::int64_t lo, std::int64_t hi, std::vector<TaskRange>& out) {
  if (hi < lo) return;
  out.push_back({static_cast<std::size_t>(lo), static_cast<std::size_t>(hi - lo + 1)});
}

// Points [lo, hi] clamped to [0, width).
void AddClamped(std::int64_t lo, std::int64_t hi, std::int64_t width, std::vector<TaskRange>& out) {
  AddPoints(std::max<std::int64_t>(lo, 0), std::min(hi, width - 1), out);
}

// How far spread's i-th input lies from its point: i width / radix, and the set's shift past
// the first (the product in 64 unsigned bits: width and radix are below 2^32).
std::int64_t SpreadShift(const GraphShape& shape, std::uint64_t set, std::int64_t i) {
  const auto index = static_cast<std::uint64_t>(i);
  return static_cast<std::int64_t>(index * shape.width / shape.radix + (i > 0 ? set : 0));
}

}  // namespace

std::uint64_t DependenceSets(const GraphShape& shape) {
  std::uint64_t sets = 1;
  if (shape.pattern == P::kFft) {
    while (sets < 63 && (std::uint64_t{1} << sets) < shape.width) ++sets;
  } else if (UsesPeriod(shape.pattern)) {
    sets = shape.period;
  }
  return sets;
}

std::uint64_t DependenceSet(const GraphShape& shape, std::uint64_t sets, std::uint64_t step) {
  if (shape.pattern == P::kFft) return (step + sets - 1) % sets;
  if (UsesPeriod(shape.pattern)) return step % sets;
  return 0;
}

bool RandomIncluded(const GraphShape& shape, std::uint64_t set, std::uint64_t from,
                    std::uint64_t point) {
  if (from == point) return true;
  // Task Bench's words: graph index 0, radix, set, the point read, the point reading it.
  const std::array<std::int64_t, 5> words = {
      0, static_cast<std::int64_t>(shape.radix), static_cast<std::int64_t>(set),
      static_cast<std::int64_t>(from), static_cast<std::int64_t>(point)};
  const std::uint64_t bits = SipHash24(kHashKey, words.data(), sizeof(words));
  return static_cast<double>(bits) * 0x1p-64 < shape.fraction;
}

void PointInputs(const GraphShape& shape, std::uint64_t sets, std::uint64_t step,
                 std::uint64_t point, std::vector<TaskRange>& out) {
  const auto p = static_cast<std::int64_t>(point);
  const auto w = static_cast<std::int64_t>(shape.width);
  const auto r = static_cast<std::int64_t>(shape.radix);
  const std::uint64_t set = DependenceSet(shape, sets, step);
  switch (shape.pattern) {
    case P::kTrivial:
      return;
    case P::kNoComm:
      return AddPoints(p, p, out);
    case P::kStencil1dPeriodic:
      if (p == 0) AddPoints(w - 1, w - 1, out);
      if (p == w - 1) AddPoints(0, 0, out);
      [[fallthrough]];
    case P::kStencil1d:
      return AddClamped(p - 1, p + 1, w, out);
    case P::kDom:
      return AddClamped(p - 1, p, w, out);
    case P::kTree:
      return AddPoints(p / 2, p / 2, out);
    case P::kFft: {
      const auto stride = std::int64_t{1} << set;
      if (p - stride >= 0) AddPoints(p - stride, p - stride, out);
      AddPoints(p, p, out);
      if (p + stride < w) AddPoints(p + stride, p + stride, out);
      return;
    }
    case P::kAllToAll:
      return AddPoints(0, w - 1, out);
    case P::kNearest:
      if (r > 0) AddClamped(p - r / 2, p + (r - 1) / 2, w, out);
      return;
    case P::kSpread:
      for (std::int64_t i = 0; i < r; ++i) {
        const std::int64_t from = (p + SpreadShift(shape, set, i)) % w;
        AddPoints(from, from, out);
      }
      return;
    case P::kRandomNearest:  // radix 0 reads nothing (Task Bench would hash its own point)
      if (r == 0) return;
      for (std::int64_t i = std::max<std::int64_t>(0, p - r / 2);
           i <= std::min(p + (r - 1) / 2, w - 1); ++i) {
        if (RandomIncluded(shape, set, static_cast<std::uint64_t>(i), point)) AddPoints(i, i, out);
      }
      return;
  }
}

void PointOutputs(const GraphShape& shape, std::uint64_t sets, std::uint64_t step,
                  std::uint64_t point, std::vector<TaskRange>& out) {
  const auto q = static_cast<std::int64_t>(point);
  const auto w = static_cast<std::int64_t>(shape.width);
  const auto r = static_cast<std::int64_t>(shape.radix);
  const std::uint64_t set = DependenceSet(shape, sets, step + 1);
  switch (shape.pattern) {
    case P::kTree:
      return AddClamped(2 * q, 2 * q + 1, w, out);
    case P::kDom:
      return AddClamped(q, q + 1, w, out);
    case P::kFft: {
      const auto stride = std::int64_t{1} << set;
      if (q - stride >= 0) AddPoints(q - stride, q - stride, out);
      AddPoints(q, q, out);
      if (q + stride < w) AddPoints(q + stride, q + stride, out);
      return;
    }
    case P::kNearest:
      if (r > 0) AddClamped(q - (r - 1) / 2, q + r / 2, w, out);
      return;
    case P::kSpread:
      for (std::int64_t i = 0; i < r; ++i) {
        const std::int64_t to = ((q - SpreadShift(shape, set, i)) % w + w) % w;
        AddPoints(to, to, out);
      }
      return;
    case P::kRandomNearest:
      if (r == 0) return;
      for (std::int64_t i = std::max<std::int64_t>(0, q - (r - 1) / 2);
           i <= std::min(q + r / 2, w - 1); ++i) {
        if (RandomIncluded(shape, set, point, static_cast<std::uint64_t>(i))) AddPoints(i, i, out);
      }
      return;
    default:  // the others read symmetrically: p reads q exactly when q reads p
      return PointInputs(shape, sets, step + 1, point, out);
  }
}

}  // namespace concbench
