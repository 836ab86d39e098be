#include "results/complexity.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "concbench/params.hpp"
#include "results/labels.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

struct OrderNames {
  BigO order;
  std::string_view word, text, gbench;
};

constexpr OrderNames kNames[] = {
    {BigO::kOne, "1", "O(1)", "(1)"},           {BigO::kLogN, "logN", "O(log N)", "lgN"},
    {BigO::kN, "N", "O(N)", "N"},               {BigO::kNLogN, "NlogN", "O(N log N)", "NlgN"},
    {BigO::kN2, "N2", "O(N²)", "N^2"},          {BigO::kN3, "N3", "O(N³)", "N^3"},
};

const OrderNames& NamesOf(BigO order) {
  return *std::find_if(std::begin(kNames), std::end(kNames),
                       [order](const OrderNames& names) { return names.order == order; });
}

// The least-squares coefficient of time ≈ c × f(N) and its relative RMS.
OrderFit FitOrder(const std::vector<std::pair<double, double>>& points, BigO order) {
  double f_squared = 0, time_f = 0, time_sum = 0;
  for (const auto& [n, seconds] : points) {
    double f = BigOCurve(order, n);
    f_squared += f * f;
    time_f += seconds * f;
    time_sum += seconds;
  }
  OrderFit fit{.order = order, .coefficient = f_squared > 0 ? time_f / f_squared : 0};
  double squares = 0;
  for (const auto& [n, seconds] : points) {
    double residual = seconds - fit.coefficient * BigOCurve(order, n);
    squares += residual * residual;
  }
  auto count = static_cast<double>(points.size());
  double mean = time_sum / count;
  fit.rms = mean > 0 ? std::sqrt(squares / count) / mean : 0;
  return fit;
}

// A swept value as a number: a plain number, or a byte size in bytes; nullopt otherwise.
std::optional<double> NumericValue(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(number)) {
    return number;
  }
  std::string why;
  if (auto bytes = ParseBytes(text, &why)) return static_cast<double>(*bytes);
  return std::nullopt;
}

// The names swept over numbers in `sweeps` that take more than one value, in order of appearance.
std::vector<std::string> NumericSweeps(const std::vector<nlohmann::json>& sweeps) {
  std::vector<std::string> names;
  std::map<std::string, std::set<double>> values;
  std::set<std::string> not_numeric;
  for (const nlohmann::json& sweep : sweeps) {
    if (!sweep.is_object()) continue;
    for (const auto& [name, value] : sweep.items()) {
      if (!values.contains(name) && !not_numeric.contains(name)) names.push_back(name);
      if (auto number = NumericValue(value)) {
        values[name].insert(*number);
      } else {
        not_numeric.insert(name);
      }
    }
  }
  std::erase_if(names, [&](const std::string& name) {
    return not_numeric.contains(name) || values[name].size() < 2;
  });
  return names;
}

// `parameters` without `name` (nor its spelling with '_' for '-' and the other way round).
nlohmann::json Without(nlohmann::json parameters, std::string name) {
  if (!parameters.is_object()) return nlohmann::json::object();
  parameters.erase(name);
  std::replace(name.begin(), name.end(), '-', '_');
  parameters.erase(name);
  std::replace(name.begin(), name.end(), '_', '-');
  parameters.erase(name);
  return parameters;
}

}  // namespace

std::string_view BigOWord(BigO order) { return NamesOf(order).word; }
std::string_view BigOText(BigO order) { return NamesOf(order).text; }
std::string_view BigOGbench(BigO order) { return NamesOf(order).gbench; }

std::optional<BigO> ParseBigO(std::string_view word) {
  for (const OrderNames& names : kNames) {
    if (names.word == word) return names.order;
  }
  return std::nullopt;
}

double BigOCurve(BigO order, double n) {
  switch (order) {
    case BigO::kOne: return 1;
    case BigO::kLogN: return std::log2(n);
    case BigO::kN: return n;
    case BigO::kNLogN: return n * std::log2(n);
    case BigO::kN2: return n * n;
    case BigO::kN3: return n * n * n;
  }
  return 1;
}

std::optional<ComplexityFit> FitComplexity(const std::vector<std::pair<double, double>>& points,
                                           std::optional<BigO> forced) {
  std::vector<std::pair<double, double>> usable;
  std::set<double> distinct;
  for (const auto& [n, seconds] : points) {
    if (!(n > 0) || !std::isfinite(n) || !std::isfinite(seconds)) continue;
    usable.emplace_back(n, seconds);
    distinct.insert(n);
  }
  if (distinct.size() < kMinComplexityPoints) return std::nullopt;
  ComplexityFit fit;
  for (BigO order : kAllOrders) fit.orders.push_back(FitOrder(usable, order));
  if (forced) {
    fit.best = fit.orders[static_cast<std::size_t>(*forced)];
  } else {  // the first of equals: the lowest order
    fit.best = *std::min_element(
        fit.orders.begin(), fit.orders.end(),
        [](const OrderFit& a, const OrderFit& b) { return a.rms < b.rms; });
  }
  return fit;
}

std::string ComplexityParameter(const std::vector<nlohmann::json>& sweeps,
                                const ComplexityOptions& options, std::string* error) {
  if (options.mode == "none") return "";
  bool asked = options.mode != "auto" || !options.parameter.empty();
  std::vector<std::string> names = NumericSweeps(sweeps);
  std::string listed = names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
  if (!options.parameter.empty()) {
    if (std::find(names.begin(), names.end(), options.parameter) != names.end()) {
      return options.parameter;
    }
    *error = fmt::format("--complexity-of: {} is not swept over several numbers (swept: {})",
                         options.parameter, listed);
    return "";
  }
  if (names.size() == 1) return names.front();
  if (asked && names.empty()) {
    *error = fmt::format("--complexity {}: no parameter is swept over several numbers (e.g. "
                         "--sweep tasks=10..10000:x10)",
                         options.mode);
  } else if (asked) {
    *error = fmt::format("--complexity {}: several parameters are swept over numbers ({}); "
                         "name one with --complexity-of NAME",
                         options.mode, listed);
  }
  return "";
}

namespace {

// The results' identities with `parameter` left out: the stem of a group's gbench names.
std::string GroupName(const Result& result, const std::string& parameter) {
  Result identity;
  identity.run = result.run;
  identity.workload = result.workload;
  identity.engine = result.engine;
  identity.workload_parameters = Without(result.workload_parameters, parameter);
  identity.engine_parameters = Without(result.engine_parameters, parameter);
  identity.given_parameters = result.given_parameters;
  identity.sweep = Without(result.sweep, parameter);
  return BenchmarkName(identity);
}

// The group's points, sorted by N, fitted.
std::optional<ComplexityGroup> FitOne(ComplexityGroup group,
                                      std::vector<std::pair<double, double>> wall,
                                      std::vector<std::pair<double, double>> cpu,
                                      std::optional<BigO> forced) {
  std::sort(wall.begin(), wall.end());
  std::optional<ComplexityFit> real = FitComplexity(wall, forced);
  if (!real) return std::nullopt;
  group.real = *real;
  for (const auto& [n, seconds] : wall) {
    group.n.push_back(n);
    group.seconds.push_back(seconds);
  }
  bool has_cpu = std::any_of(cpu.begin(), cpu.end(), [](const auto& p) { return p.second > 0; });
  if (has_cpu) group.cpu = FitComplexity(cpu, real->best.order);
  return group;
}

}  // namespace

std::vector<ComplexityGroup> FitGroups(const std::vector<Result>& results,
                                       const std::string& parameter, std::optional<BigO> forced) {
  struct Gathered {
    ComplexityGroup group;
    std::vector<std::pair<double, double>> wall, cpu;
  };
  std::vector<Gathered> gathered;
  if (parameter.empty()) return {};
  for (const Result& r : results) {
    if (!r.verified || r.times.empty() || !r.sweep.is_object() || !r.sweep.contains(parameter)) {
      continue;
    }
    std::optional<double> n = NumericValue(r.sweep[parameter]);
    if (!n) continue;
    nlohmann::json others = Without(r.sweep, parameter);
    auto same = [&](const Gathered& g) {
      return g.group.run == r.run && g.group.workload == r.workload &&
             g.group.engine == r.engine && g.group.others == others;
    };
    auto it = std::find_if(gathered.begin(), gathered.end(), same);
    if (it == gathered.end()) {
      Gathered fresh;
      fresh.group.run = r.run;
      fresh.group.workload = r.workload;
      fresh.group.engine = r.engine;
      fresh.group.parameter = parameter;
      fresh.group.others = others;
      fresh.group.name = GroupName(r, parameter);
      gathered.push_back(std::move(fresh));
      it = std::prev(gathered.end());
    }
    it->group.repetitions = std::max(it->group.repetitions, r.times.size());
    it->wall.emplace_back(*n, r.wall.median);
    it->cpu.emplace_back(*n, r.cpu.median);
  }
  std::vector<ComplexityGroup> groups;
  for (Gathered& g : gathered) {
    auto fitted = FitOne(std::move(g.group), std::move(g.wall), std::move(g.cpu), forced);
    if (fitted) groups.push_back(std::move(*fitted));
  }
  return groups;
}

nlohmann::json ComplexityToJson(const std::vector<ComplexityGroup>& groups) {
  nlohmann::json list = nlohmann::json::array();
  for (const ComplexityGroup& g : groups) {
    nlohmann::json fits = nlohmann::json::array();
    for (const OrderFit& fit : g.real.orders) {
      fits.push_back({{"order", BigOWord(fit.order)},
                      {"coefficient_s", fit.coefficient},
                      {"rms", fit.rms}});
    }
    nlohmann::json points = nlohmann::json::array();
    for (std::size_t i = 0; i < g.n.size(); ++i) points.push_back({g.n[i], g.seconds[i]});
    list.push_back({{"workload", g.workload},
                    {"engine", g.engine},
                    {"run", g.run.empty() ? nlohmann::json() : nlohmann::json(g.run)},
                    {"parameter", g.parameter},
                    {"others", g.others},
                    {"order", BigOWord(g.real.best.order)},
                    {"big_o", BigOText(g.real.best.order)},
                    {"coefficient_s", g.real.best.coefficient},
                    {"rms", g.real.best.rms},
                    {"cpu_coefficient_s",
                     g.cpu ? nlohmann::json(g.cpu->best.coefficient) : nlohmann::json()},
                    {"n_points", g.n.size()},
                    {"points", points},
                    {"fits", fits}});
  }
  return list;
}

}  // namespace concbench
