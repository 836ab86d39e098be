#include "results/paired_comparison.hpp"
#include "results/bootstrap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "results/signed_rank.hpp"
#include "results/statistics.hpp"

namespace concbench {
namespace {

constexpr double kMadToSigma = 1.4826;
constexpr std::size_t kPowerfulRounds = 6;  // the signed-rank test's smallest p at 5 is 0.0625

// One point of one side: its result in each round (nullptr where a round lacks it).
struct Point {
  std::string key;
  std::vector<const Result*> rounds;
};

// Every point of `rounds`, in the order they first appear, keyed by place.
std::vector<Point> Collect(const std::vector<std::vector<Result>>& rounds) {
  std::vector<Point> points;
  std::map<std::string, std::size_t> index;
  for (std::size_t round = 0; round < rounds.size(); ++round) {
    std::map<std::string, std::size_t> ordinals;
    for (const Result& r : rounds[round]) {
      std::string place = r.run + '\x1f' + r.workload + '\x1f' + r.engine;
      std::string key = fmt::format("{}\x1f{}", place, ordinals[place]++);
      auto [at, added] = index.emplace(key, points.size());
      if (added) points.push_back({key, std::vector<const Result*>(rounds.size(), nullptr)});
      points[at->second].rounds[round] = &r;
    }
  }
  return points;
}

// Every round's samples of `point` in one result, to decide its gating metric.
Result Pooled(const Point& point) {
  Result pooled;
  for (const Result* r : point.rounds) {
    if (r == nullptr) continue;
    pooled.times.insert(pooled.times.end(), r->times.begin(), r->times.end());
    pooled.user_times.insert(pooled.user_times.end(), r->user_times.begin(), r->user_times.end());
    pooled.system_times.insert(pooled.system_times.end(), r->system_times.begin(),
                               r->system_times.end());
  }
  return pooled;
}

// Why the pair cannot be compared (a round missing, a side not verified), or "".
std::string WhyNot(const Point& a, const Point& b) {
  for (std::size_t round = 0; round < a.rounds.size(); ++round) {
    const Result* x = a.rounds[round];
    const Result* y = round < b.rounds.size() ? b.rounds[round] : nullptr;
    if (x == nullptr || y == nullptr) {
      return fmt::format("round {} has no result on the {} side", round + 1,
                         x == nullptr ? "base" : "new");
    }
    std::string why = WhyUnverified(*x, *y);
    if (!why.empty()) return fmt::format("round {}: {}", round + 1, why);
  }
  return "";
}

double RobustSpread(std::span<const double> values) {
  return kMadToSigma * Mad(values, Median(values));
}

PairComparison ComparePoint(const Point& a, const Point& b, const CompareOptions& options) {
  PairComparison pair;
  pair.paired = true;
  pair.name = PairName(*a.rounds.front());
  pair.metric = GatingMetric(Pooled(a), options);
  pair.why_not_comparable = WhyNot(a, b);
  if (pair.why_not_comparable.empty()) {
    pair.why_not_comparable = WhyMemoryDiffers(*a.rounds.front(), *b.rounds.front(), pair.metric);
  }
  if (!pair.why_not_comparable.empty()) {
    pair.verdict = Verdict::kNotComparable;
    return pair;
  }
  std::vector<double> base, next, ratios, logs;
  for (std::size_t round = 0; round < a.rounds.size(); ++round) {
    double x = Median(Samples(*a.rounds[round], pair.metric));
    double y = Median(Samples(*b.rounds[round], pair.metric));
    base.push_back(x);
    next.push_back(y);
    if (x > 0 && std::isfinite(x) && std::isfinite(y)) {
      ratios.push_back(y / x);
      logs.push_back(std::log(std::max(y, 1e-300) / x));
    }
  }
  pair.base_count = base.size();
  pair.new_count = next.size();
  pair.base_median = Median(base);
  pair.new_median = Median(next);
  if (ratios.size() != base.size()) {
    pair.why_not_comparable = "a round's base value is 0 or not a finite number: no ratio";
    pair.verdict = Verdict::kNotComparable;
    return pair;
  }
  pair.change = Median(ratios) - 1;
  Interval interval = BootstrapMedianCi(ratios);
  pair.ratio_low = interval.low;
  pair.ratio_high = interval.high;
  SignedRank test = WilcoxonSignedRank(logs);
  pair.p_value = test.p_value;
  pair.exact = test.exact;
  pair.noise = std::expm1(RobustSpread(logs));
  Judge(pair, options);
  return pair;
}

}  // namespace

ComparisonReport CompareRounds(const std::vector<std::vector<Result>>& base_rounds,
                               const std::vector<std::vector<Result>>& new_rounds,
                               const CompareOptions& options) {
  ComparisonReport report;
  report.options = options;
  std::vector<Point> base = Collect(base_rounds);
  std::vector<Point> next = Collect(new_rounds);
  std::map<std::string, std::size_t> next_index;
  for (std::size_t i = 0; i < next.size(); ++i) next_index.emplace(next[i].key, i);
  std::vector<bool> matched(next.size(), false);
  auto name_of = [](const Point& p) {
    for (const Result* r : p.rounds) {
      if (r != nullptr) return PairName(*r);
    }
    return std::string();
  };
  for (const Point& point : base) {
    auto found = next_index.find(point.key);
    if (found == next_index.end() || point.rounds.front() == nullptr) {
      report.only_in_base.push_back(name_of(point));
      continue;
    }
    matched[found->second] = true;
    report.pairs.push_back(ComparePoint(point, next[found->second], options));
  }
  for (std::size_t i = 0; i < next.size(); ++i) {
    if (!matched[i]) report.only_in_new.push_back(name_of(next[i]));
  }
  if (!report.pairs.empty() && base_rounds.size() < kPowerfulRounds) {
    report.warnings.push_back(fmt::format(
        "{} rounds: the signed-rank test cannot reach p < 0.05 with fewer than {}; use --rounds "
        "10 or more",
        base_rounds.size(), kPowerfulRounds));
  }
  return report;
}

bool Suspected(const PairComparison& pair) {
  return pair.verdict == Verdict::kRegressed ||
         (pair.verdict == Verdict::kWithinNoise && pair.change > pair.floor);
}

ComparisonReport ConfirmRegressions(const ComparisonReport& first, const ComparisonReport& again) {
  ComparisonReport report = first;
  // The same command measured again gives the same points in the same order.
  for (std::size_t i = 0; i < report.pairs.size(); ++i) {
    PairComparison& pair = report.pairs[i];
    if (!Suspected(pair)) continue;
    FirstRound round{.verdict = pair.verdict, .change = pair.change, .rounds = pair.base_count};
    if (i < again.pairs.size() && again.pairs[i].name == pair.name) {
      pair = again.pairs[i];
    } else {  // the confirmation lost the point: it stays a failure
      pair.verdict = Verdict::kNotComparable;
      pair.why_not_comparable = "the confirmation round has no result for it";
    }
    pair.first_round = round;
  }
  return report;
}

}  // namespace concbench
