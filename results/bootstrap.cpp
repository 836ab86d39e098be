#include "results/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "util/percentile.hpp"

namespace concbench {
namespace {

using Distribution = std::vector<std::pair<double, double>>;  // value, probability

constexpr std::size_t kMaxExact = 100;  // C(100, 50) and the powers stay within a double
constexpr std::size_t kMaxExactRatioSupport = 250'000;
constexpr std::size_t kResamples = 10'000;
constexpr std::uint64_t kSeed = 0x636f6e6362656e63;  // fixed: same data, same interval

// C(n, k) as a double.
double Choose(std::size_t n, std::size_t k) {
  double c = 1;
  for (std::size_t i = 1; i <= k; ++i)
    c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
  return c;
}

// P(Binomial(n, p) >= m).
double TailAtLeast(std::size_t n, double p, std::size_t m) {
  double sum = 0;
  for (std::size_t i = m; i <= n; ++i) {
    sum += Choose(n, i) * std::pow(p, static_cast<double>(i)) *
           std::pow(1 - p, static_cast<double>(n - i));
  }
  return std::min(sum, 1.0);
}

// `entries` sorted by value, equal values merged, probabilities rescaled to sum to 1.
Distribution Normalized(Distribution entries) {
  std::sort(entries.begin(), entries.end());
  Distribution merged;
  double total = 0;
  for (const auto& [value, p] : entries) {
    if (p <= 0) continue;
    total += p;
    if (!merged.empty() && merged.back().first == value) {
      merged.back().second += p;
    } else {
      merged.emplace_back(value, p);
    }
  }
  for (auto& entry : merged) entry.second /= total;
  return merged;
}

// The smallest value whose cumulative probability reaches `p` (0..1).
double Quantile(const Distribution& distribution, double p) {
  double cumulative = 0;
  for (const auto& [value, probability] : distribution) {
    cumulative += probability;
    if (cumulative >= p - 1e-12) return value;
  }
  return distribution.back().first;
}

Interval Central95(const Distribution& distribution) {
  if (distribution.empty()) return {};
  return {Quantile(distribution, 0.025), Quantile(distribution, 0.975)};
}

// The median of `values`, reordering them.
double MedianInPlace(std::vector<double>& values) {
  std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  double upper = values[mid];
  if (values.size() % 2) return upper;
  return (*std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid)) +
          upper) /
         2;
}

// The median of a resample of `values` drawn with replacement.
double ResampledMedian(std::span<const double> values, std::mt19937_64& random,
                       std::vector<double>& sample) {
  sample.resize(values.size());
  for (double& value : sample) value = values[random() % values.size()];
  return MedianInPlace(sample);
}

}  // namespace

Distribution ExactMedianDistribution(std::span<const double> values) {
  std::vector<double> x(values.begin(), values.end());
  std::sort(x.begin(), x.end());
  std::size_t n = x.size();
  double size = static_cast<double>(n);
  Distribution entries;
  if (n % 2 == 1) {
    // The median is the m-th smallest draw: at most x[k-1] when m or more draws are among the
    // k smallest values.
    std::size_t m = (n + 1) / 2;
    double below = 0;
    for (std::size_t k = 1; k <= n; ++k) {
      double at_most = TailAtLeast(n, static_cast<double>(k) / size, m);
      entries.emplace_back(x[k - 1], at_most - below);
      below = at_most;
    }
    return Normalized(std::move(entries));
  }
  // Even n: the mean of the a-th and (a+1)-th smallest draws, a = n/2. For j < k (1-based)
  // exactly a draws are at most x_j with one of them x_j, none lies between, and the other
  // n - a are at least x_k with one of them x_k. The rest of the a-th draw's chance to be x_j
  // is the case j = k.
  std::size_t a = n / 2;
  double ways = Choose(n, a);
  // The chance that a draw is among the i smallest values, raised to the power e.
  auto power = [size](std::size_t i, std::size_t e) {
    return std::pow(static_cast<double>(i) / size, static_cast<double>(e));
  };
  auto fraction = [size](std::size_t i) { return static_cast<double>(i) / size; };
  for (std::size_t j = 1; j <= n; ++j) {
    double low = power(j, a) - power(j - 1, a);
    double at_j = TailAtLeast(n, fraction(j), a) - TailAtLeast(n, fraction(j - 1), a);
    double pairs = 0;
    for (std::size_t k = j + 1; k <= n; ++k) {
      double high = power(n - k + 1, n - a) - power(n - k, n - a);
      double p = ways * low * high;
      pairs += p;
      entries.emplace_back((x[j - 1] + x[k - 1]) / 2, p);
    }
    entries.emplace_back(x[j - 1], std::max(0.0, at_j - pairs));
  }
  return Normalized(std::move(entries));
}

Interval BootstrapMedianCi(std::span<const double> values) {
  if (values.size() < 2) {
    double only = values.empty() ? 0 : values[0];
    return {only, only};
  }
  if (values.size() <= kMaxExact) return Central95(ExactMedianDistribution(values));
  std::mt19937_64 random(kSeed);
  std::vector<double> medians, sample;
  medians.reserve(kResamples);
  for (std::size_t r = 0; r < kResamples; ++r)
    medians.push_back(ResampledMedian(values, random, sample));
  return {Percentile(medians, 2.5), Percentile(medians, 97.5)};
}

Interval BootstrapRatioCi(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return {};
  if (a.size() <= kMaxExact && b.size() <= kMaxExact) {
    Distribution base = ExactMedianDistribution(a), other = ExactMedianDistribution(b);
    if (base.size() * other.size() <= kMaxExactRatioSupport) {
      Distribution ratios;
      ratios.reserve(base.size() * other.size());
      for (const auto& [x, p] : base) {
        if (x <= 0) continue;
        for (const auto& [y, q] : other) ratios.emplace_back(y / x, p * q);
      }
      return Central95(Normalized(std::move(ratios)));
    }
  }
  std::mt19937_64 random(kSeed);
  std::vector<double> ratios, sample;
  ratios.reserve(kResamples);
  for (std::size_t r = 0; r < kResamples; ++r) {
    double base = ResampledMedian(a, random, sample);
    double other = ResampledMedian(b, random, sample);
    if (base > 0) ratios.push_back(other / base);
  }
  if (ratios.empty()) return {};
  return {Percentile(ratios, 2.5), Percentile(ratios, 97.5)};
}

}  // namespace concbench
