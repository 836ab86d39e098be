// Asymptotic complexity of a sweep over a size parameter, fitted as google/benchmark's
// Complexity() does: time ≈ coefficient × f(N) by least squares for each order f, the order
// with the smallest RMS of the residuals, relative to the mean time, winning.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "results/result.hpp"

namespace concbench {

enum class BigO { kOne, kLogN, kN, kNLogN, kN2, kN3 };
inline constexpr BigO kAllOrders[] = {BigO::kOne,   BigO::kLogN, BigO::kN,
                                      BigO::kNLogN, BigO::kN2,   BigO::kN3};
// A fit needs at least this many distinct values of N.
inline constexpr std::size_t kMinComplexityPoints = 3;

// The option's word of an order: "1", "logN", "N", "NlogN", "N2", "N3".
std::string_view BigOWord(BigO order);
// The order a word names, or nullopt.
std::optional<BigO> ParseBigO(std::string_view word);
// In words for people: "O(1)", "O(log N)", "O(N)", "O(N log N)", "O(N²)", "O(N³)".
std::string_view BigOText(BigO order);
// As google/benchmark's JSON writes it ("big_o"): "(1)", "lgN", "N", "NlgN", "N^2", "N^3".
std::string_view BigOGbench(BigO order);
// f(N) of the order; log is base 2, as google/benchmark's.
double BigOCurve(BigO order, double n);

// One order's least-squares fit: time ≈ coefficient × f(N), coefficient in seconds; rms is the
// root mean square of the residuals divided by the mean time (0 when every time is 0).
struct OrderFit {
  BigO order = BigO::kOne;
  double coefficient = 0;
  double rms = 0;
};

// The chosen fit (the best, or the order asked for) and every order's fit, in kAllOrders order.
struct ComplexityFit {
  OrderFit best;
  std::vector<OrderFit> orders;
};

// Fits (N, seconds) pairs. Pairs with N ≤ 0 or a time that is not finite are left out; nullopt
// when fewer than kMinComplexityPoints distinct N remain. `forced`: that order, not the best.
std::optional<ComplexityFit> FitComplexity(const std::vector<std::pair<double, double>>& points,
                                           std::optional<BigO> forced = std::nullopt);

// --complexity and --complexity-of: mode is "auto", "none" or an order's word; parameter is the
// one N stands for, empty for the single numeric one swept.
struct ComplexityOptions {
  std::string mode = "auto";
  std::string parameter = "";
};

// The parameter the fits are over, given each point's swept values ({name: value}); "" for no
// fit. An explicit order or parameter that cannot be honoured (no numeric sweep, several and
// none named, a named one not swept over numbers) sets *error to "--complexity…: why"; auto
// without a single numeric sweep fits nothing, silently.
std::string ComplexityParameter(const std::vector<nlohmann::json>& sweeps,
                                const ComplexityOptions& options, std::string* error);

// One fit: the verified results of one run, workload, engine and set of other parameters, at
// several values of `parameter`.
struct ComplexityGroup {
  std::string run;  // empty when none
  std::string workload;
  std::string engine;
  std::string parameter;
  nlohmann::json others = nlohmann::json::object();  // the group's other key parameters
  std::string name;  // BenchmarkName without the parameter: the gbench entries' stem
  std::size_t repetitions = 0;   // the most measured repetitions of one point
  std::vector<double> n;         // the points' N, ascending
  std::vector<double> seconds;   // their wall medians
  ComplexityFit real;            // of the wall medians
  std::optional<ComplexityFit> cpu;  // of the CPU medians, the real fit's order; none without
};

// The groups of `results` fitted over `parameter` (see ComplexityParameter), each with at least
// kMinComplexityPoints distinct N; `forced`: that order for every group.
std::vector<ComplexityGroup> FitGroups(const std::vector<Result>& results,
                                       const std::string& parameter, std::optional<BigO> forced);

// The results file's "complexity" list: workload, engine, run, parameter, others, order,
// big_o, coefficient_s, rms, n_points, points and fits (every order's).
nlohmann::json ComplexityToJson(const std::vector<ComplexityGroup>& groups);

}  // namespace concbench
