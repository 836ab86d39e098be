#include "results/signed_rank.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace concbench {
namespace {

constexpr std::size_t kMaxExact = 30;

// P(W+ <= w) and P(W+ >= w) under the null for n values: each of the 2^n sign choices is
// equally likely; counts[s] is the number of subsets of {1..n} whose ranks sum to s.
std::pair<double, double> ExactTails(std::size_t n, double w) {
  std::size_t total = n * (n + 1) / 2;
  std::vector<double> counts(total + 1, 0);
  counts[0] = 1;
  for (std::size_t rank = 1; rank <= n; ++rank) {
    for (std::size_t s = total; s >= rank; --s) counts[s] += counts[s - rank];
  }
  double all = std::ldexp(1.0, static_cast<int>(n));
  double below = 0, above = 0;
  for (std::size_t s = 0; s <= total; ++s) {
    auto sum = static_cast<double>(s);
    if (sum <= w + 1e-9) below += counts[s];
    if (sum >= w - 1e-9) above += counts[s];
  }
  return {below / all, above / all};
}

}  // namespace

SignedRank WilcoxonSignedRank(std::span<const double> differences) {
  SignedRank test;
  std::vector<double> values;
  for (double d : differences) {
    if (d != 0 && std::isfinite(d)) values.push_back(d);
  }
  test.used = values.size();
  if (values.empty()) return test;
  std::sort(values.begin(), values.end(),
            [](double a, double b) { return std::fabs(a) < std::fabs(b); });
  double tie_term = 0;  // sum of t^3 - t over groups of t equal absolute values
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j < values.size() && std::fabs(values[j]) == std::fabs(values[i])) ++j;
    double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // mean rank
    for (std::size_t k = i; k < j; ++k) {
      if (values[k] > 0) test.w_plus += rank;
    }
    auto t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  std::size_t n = values.size();
  if (tie_term == 0 && n <= kMaxExact) {
    auto [below, above] = ExactTails(n, test.w_plus);
    test.p_value = std::min(1.0, 2 * std::min(below, above));
    test.exact = true;
    return test;
  }
  auto count = static_cast<double>(n);
  double mean = count * (count + 1) / 4;
  double variance = count * (count + 1) * (2 * count + 1) / 24 - tie_term / 48;
  if (variance <= 0) return test;
  double z = std::max(0.0, std::fabs(test.w_plus - mean) - 0.5) / std::sqrt(variance);
  test.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return test;
}

}  // namespace concbench
