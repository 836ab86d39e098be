#include "core/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "concbench/params.hpp"

namespace concbench {
namespace {

// A range end or step: a plain number, or a duration in nanoseconds.
struct Amount {
  double value = 0;
  bool duration = false;
};

std::optional<Amount> ParseAmount(std::string_view text, std::string* why) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    if (!std::isfinite(value)) {
      *why = fmt::format("'{}' is not a finite number", text);
      return std::nullopt;
    }
    return Amount{value, false};
  }
  std::optional<Duration> duration = ParseDuration(text, why);
  if (!duration) {
    *why = fmt::format("'{}' is neither a number nor a duration", text);
    return std::nullopt;
  }
  return Amount{static_cast<double>(duration->count()), true};
}

std::string FormatAmount(double value, bool duration) {
  if (duration) return FormatDuration(Duration(static_cast<Duration::rep>(std::llround(value))));
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{}", value);
}

std::optional<std::vector<std::string>> ParseRange(std::string_view spec, std::string* why) {
  std::size_t dots = spec.find("..");
  std::size_t colon = spec.find(':', dots);
  if (colon == std::string_view::npos || colon + 2 > spec.size()) {
    *why = fmt::format("'{}': a range needs a step, as in 10..1000:x10 or 1..8:+1", spec);
    return std::nullopt;
  }
  char kind = spec[colon + 1];
  if (kind != 'x' && kind != '+') {
    *why = fmt::format("'{}': the step starts with x (multiply) or + (add)", spec);
    return std::nullopt;
  }
  std::optional<Amount> first = ParseAmount(spec.substr(0, dots), why);
  std::optional<Amount> last =
      first ? ParseAmount(spec.substr(dots + 2, colon - dots - 2), why) : std::nullopt;
  std::optional<Amount> step = last ? ParseAmount(spec.substr(colon + 2), why) : std::nullopt;
  if (!step) return std::nullopt;
  if (first->duration != last->duration || (kind == '+' && step->duration != first->duration) ||
      (kind == 'x' && step->duration)) {
    *why = fmt::format("'{}': mixes durations and plain numbers", spec);
    return std::nullopt;
  }
  if (first->value > last->value) {
    *why = fmt::format("'{}': the range must go upwards", spec);
    return std::nullopt;
  }
  if (kind == 'x' && (step->value <= 1 || first->value <= 0)) {
    *why = fmt::format("'{}': a geometric range needs a start above 0 and a factor above 1", spec);
    return std::nullopt;
  }
  if (kind == '+' && step->value <= 0) {
    *why = fmt::format("'{}': a linear range needs a step above 0", spec);
    return std::nullopt;
  }
  bool advances = kind == 'x' ? last->value * step->value > last->value
                              : last->value + step->value > last->value;
  if (!advances) {
    *why = fmt::format("'{}': the step is too small to change the values", spec);
    return std::nullopt;
  }
  // A relative tolerance lets 0.1-style steps land on the end despite rounding.
  double limit = last->value + std::fabs(last->value) * 1e-9;
  double steps = kind == 'x' ? std::log(limit / first->value) / std::log(step->value)
                             : (limit - first->value) / step->value;
  if (!(steps < static_cast<double>(kMaxSweepValues))) {  // counted before any is made
    *why = fmt::format("'{}' has more than {} values", spec, kMaxSweepValues);
    return std::nullopt;
  }
  auto count = static_cast<std::size_t>(std::floor(steps)) + 1;
  std::vector<std::string> values;
  for (std::size_t i = 0; i <= count; ++i) {
    double value = kind == 'x' ? first->value * std::pow(step->value, static_cast<double>(i))
                               : first->value + step->value * static_cast<double>(i);
    if (value > limit) break;
    std::string text = FormatAmount(value, first->duration);
    if (values.empty() || values.back() != text) values.push_back(std::move(text));
  }
  if (values.size() > kMaxSweepValues) {
    *why = fmt::format("'{}' has more than {} values", spec, kMaxSweepValues);
    return std::nullopt;
  }
  return values;
}

}  // namespace

std::optional<Sweep> ParseSweep(std::string_view text, std::string* why) {
  std::size_t equals = text.find('=');
  std::size_t name_start = text.starts_with("--") ? 2 : 0;
  if (equals == std::string_view::npos || equals <= name_start || equals + 1 == text.size()) {
    *why =
        fmt::format("'{}' is not NAME=VALUES (e.g. tasks=10..100000:x10 or workers=1,2,4)", text);
    return std::nullopt;
  }
  Sweep sweep{std::string(text.substr(name_start, equals - name_start)), {}};
  std::string_view spec = text.substr(equals + 1);
  if (spec.find("..") != std::string_view::npos) {
    std::optional<std::vector<std::string>> values = ParseRange(spec, why);
    if (!values) return std::nullopt;
    sweep.values = std::move(*values);
    return sweep;
  }
  std::size_t begin = 0;
  while (begin <= spec.size()) {
    std::size_t comma = spec.find(',', begin);
    std::string_view item =
        spec.substr(begin, comma == std::string_view::npos ? spec.npos : comma - begin);
    if (item.empty()) {
      *why = fmt::format("'{}' has an empty value", spec);
      return std::nullopt;
    }
    if (sweep.values.size() == kMaxSweepValues) {
      *why = fmt::format("'{}' has more than {} values", spec, kMaxSweepValues);
      return std::nullopt;
    }
    sweep.values.emplace_back(item);
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  return sweep;
}

std::string CheckGridSize(const std::vector<Sweep>& sweeps) {
  std::size_t points = 1;
  for (const Sweep& sweep : sweeps) {
    std::size_t values = std::max<std::size_t>(sweep.values.size(), 1);
    if (points > kMaxSweepValues / values) {
      return fmt::format("the grid has more than {} points", kMaxSweepValues);
    }
    points *= values;
  }
  return "";
}

std::vector<std::map<std::string, std::string>> SweepGrid(const std::vector<Sweep>& sweeps) {
  std::vector<std::map<std::string, std::string>> grid = {{}};
  for (const Sweep& sweep : sweeps) {
    std::vector<std::map<std::string, std::string>> next;
    for (const auto& point : grid) {
      for (const std::string& value : sweep.values) {
        auto combined = point;
        combined[sweep.name] = value;
        next.push_back(std::move(combined));
      }
    }
    grid = std::move(next);
  }
  return grid;
}

bool IsVarSweep(const std::map<std::string, std::string>& values, const std::string& name) {
  auto var = values.find("var");
  if (var == values.end()) return false;
  std::string line;
  std::istringstream lines(var->second);
  while (std::getline(lines, line)) {
    if (line.rfind(name + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace concbench
