// Long: one parser and one validator per parameter type, kept together so that every option of a
// type is read and rejected the same way.
#include "concbench/params.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace concbench {
namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  std::size_t begin = 0;
  while (true) {
    std::size_t end = text.find(separator, begin);
    items.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return items;
    begin = end + 1;
  }
}

std::vector<std::string_view> SplitList(std::string_view text) { return Split(text, ','); }
std::vector<std::string_view> SplitLines(std::string_view text) { return Split(text, '\n'); }

std::optional<std::uint64_t> ParseUInt(std::string_view text, std::uint64_t min, std::string* why) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
    *why = fmt::format("'{}' is not a whole number", text);
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    *why = fmt::format("'{}' is too large (the largest is {})", text, UINT64_MAX);
    return std::nullopt;
  }
  if (value < min) {
    *why = fmt::format("'{}' is below the smallest allowed value, {}", text, min);
    return std::nullopt;
  }
  return value;
}

// The smallest value each whole-number type accepts.
std::uint64_t MinimumOf(ParamType type) {
  switch (type) {
    case ParamType::kCount:
      return 1;
    case ParamType::kWhole:
    case ParamType::kIndexList:
      return 0;
    default:
      return 2;
  }
}

std::optional<double> ParseRate(std::string_view text, std::string* why) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !(value >= 0 && value <= 1)) {
    *why = fmt::format("'{}' is not a share from 0 to 1 (e.g. 0.25)", text);
    return std::nullopt;
  }
  return value;
}

std::string ChoiceError(std::string_view text, const std::vector<std::string>& choices) {
  return fmt::format("'{}' is not one of {}", text, fmt::join(choices, ", "));
}

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text, std::string* why) {
  std::size_t unit_at = text.find_first_not_of("0123456789.");
  std::string_view number = text.substr(0, unit_at);
  std::string_view unit = unit_at == std::string_view::npos ? "" : text.substr(unit_at);
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size()) {
    *why = fmt::format("'{}' is not a duration (a number with unit s, ms, us or ns, e.g. 150ms)",
                       text);
    return std::nullopt;
  }
  double scale = 0;
  if (unit == "s") scale = 1e9;
  if (unit == "ms") scale = 1e6;
  if (unit == "us") scale = 1e3;
  if (unit == "ns") scale = 1;
  if (scale == 0) {
    *why = unit.empty() ? fmt::format("'{}' needs a unit: s, ms, us or ns", text)
                        : fmt::format("'{}': unknown unit '{}' (units: s, ms, us, ns)", text, unit);
    return std::nullopt;
  }
  double nanos = value * scale;
  if (!(nanos >= 1)) {
    *why = fmt::format("'{}' is too short (at least 1ns)", text);
    return std::nullopt;
  }
  if (nanos > 86400e9) {
    *why = fmt::format("'{}' is too long (at most 86400s)", text);
    return std::nullopt;
  }
  return Duration(static_cast<Duration::rep>(std::llround(nanos)));
}

std::optional<Duration> ParseDurationOrZero(std::string_view text, std::string* why) {
  if (text == "0" || text == "0s" || text == "0ms" || text == "0us" || text == "0ns") {
    return Duration(0);
  }
  return ParseDuration(text, why);
}

std::optional<std::uint64_t> ParseBytes(std::string_view text, std::string* why) {
  std::size_t unit_at = text.find_first_not_of("0123456789");
  std::string_view number = text.substr(0, unit_at);
  std::string_view unit = unit_at == std::string_view::npos ? "" : text.substr(unit_at);
  std::uint64_t scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "KiB") scale = 1ull << 10;
  if (unit == "MiB") scale = 1ull << 20;
  if (unit == "GiB") scale = 1ull << 30;
  if (number.empty() || scale == 0) {
    *why = fmt::format(
        "'{}' is not a byte count (a whole number, optionally with unit KiB, MiB "
        "or GiB, e.g. 64KiB)",
        text);
    return std::nullopt;
  }
  auto value = ParseUInt(number, 0, why);
  if (!value) return std::nullopt;
  if (*value > UINT64_MAX / scale) {
    *why = fmt::format("'{}' is too large", text);
    return std::nullopt;
  }
  return *value * scale;
}

std::string FormatDuration(Duration d) {
  auto nanos = d.count();
  if (nanos % 1'000'000'000 == 0) return fmt::format("{}s", nanos / 1'000'000'000);
  if (nanos % 1'000'000 == 0) return fmt::format("{}ms", nanos / 1'000'000);
  if (nanos % 1'000 == 0) return fmt::format("{}us", nanos / 1'000);
  return fmt::format("{}us", static_cast<double>(nanos) / 1e3);
}

std::string ValidateParam(ParamType type, std::string_view text) {
  std::string why;
  switch (type) {
    case ParamType::kCount:
    case ParamType::kUInt64:
      ParseUInt(text, MinimumOf(type), &why);
      return why;
    case ParamType::kUInt64List:
      for (std::string_view item : SplitList(text)) {
        if (!ParseUInt(item, MinimumOf(type), &why)) return why;
      }
      return "";
    case ParamType::kDuration:
      ParseDuration(text, &why);
      return why;
    case ParamType::kDurationList:
      for (std::string_view item : SplitList(text)) {
        if (!ParseDuration(item, &why)) return why;
      }
      return "";
    case ParamType::kDurationOrZero:
      ParseDurationOrZero(text, &why);
      return why;
    case ParamType::kFlag:
      if (text != "true" && text != "false") return fmt::format("'{}' is not true or false", text);
      return "";
    case ParamType::kWhole:
      ParseUInt(text, 0, &why);
      return why;
    case ParamType::kIndexList:
      for (std::string_view item : SplitList(text)) {
        if (!ParseUInt(item, 0, &why)) return why;
      }
      return "";
    case ParamType::kRate:
      ParseRate(text, &why);
      return why;
    case ParamType::kChoice:
      return "";  // checked against the spec's choices
    case ParamType::kText:
      return text.empty() ? "a value is required" : "";
    case ParamType::kTextList:
      for (std::string_view line : SplitLines(text)) {
        if (line.empty()) return "a value is required";
      }
      return "";
    case ParamType::kBytes:
      ParseBytes(text, &why);
      return why;
  }
  return "unknown parameter type";
}

std::string ValidateParam(const ParamSpec& spec, std::string_view text) {
  if (spec.type != ParamType::kChoice) return ValidateParam(spec.type, text);
  if (std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end()) return "";
  return ChoiceError(text, spec.choices);
}

void Params::set(const std::string& name, std::string value, bool given) {
  values_[name] = std::move(value);
  if (given) given_.insert(name);
}

const std::string& Params::raw(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw ParamError(fmt::format("--{}: a value is required", name));
  return it->second;
}

std::uint64_t Params::count(const std::string& name) const {
  std::string why;
  auto value = ParseUInt(raw(name), MinimumOf(ParamType::kCount), &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

std::uint64_t Params::uint64(const std::string& name) const {
  std::string why;
  auto value = ParseUInt(raw(name), MinimumOf(ParamType::kUInt64), &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

std::vector<std::uint64_t> Params::uint64_list(const std::string& name) const {
  std::vector<std::uint64_t> values;
  std::string why;
  for (std::string_view item : SplitList(raw(name))) {
    auto value = ParseUInt(item, MinimumOf(ParamType::kUInt64List), &why);
    if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
    values.push_back(*value);
  }
  return values;
}

Duration Params::duration(const std::string& name) const {
  std::string why;
  auto value = ParseDuration(raw(name), &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

Duration Params::duration_or_zero(const std::string& name) const {
  std::string why;
  auto value = ParseDurationOrZero(raw(name), &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

std::vector<Duration> Params::duration_list(const std::string& name) const {
  std::vector<Duration> values;
  std::string why;
  for (std::string_view item : SplitList(raw(name))) {
    auto value = ParseDuration(item, &why);
    if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
    values.push_back(*value);
  }
  return values;
}

bool Params::flag(const std::string& name) const { return has(name) && raw(name) == "true"; }

std::uint64_t Params::whole(const std::string& name) const {
  std::string why;
  auto value = ParseUInt(raw(name), 0, &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

std::vector<std::uint64_t> Params::index_list(const std::string& name) const {
  std::vector<std::uint64_t> values;
  std::string why;
  for (std::string_view item : SplitList(raw(name))) {
    auto value = ParseUInt(item, 0, &why);
    if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
    values.push_back(*value);
  }
  return values;
}

double Params::rate(const std::string& name) const {
  std::string why;
  auto value = ParseRate(raw(name), &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

const std::string& Params::choice(const std::string& name,
                                  const std::vector<std::string>& choices) const {
  const std::string& value = raw(name);
  if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
    throw ParamError(fmt::format("--{}: {}", name, ChoiceError(value, choices)));
  }
  return value;
}

const std::string& Params::text(const std::string& name) const {
  const std::string& value = raw(name);
  if (value.empty()) throw ParamError(fmt::format("--{}: a value is required", name));
  return value;
}

std::vector<std::string> Params::text_list(const std::string& name) const {
  std::vector<std::string> values;
  if (!has(name)) return values;
  for (std::string_view line : SplitLines(raw(name))) {
    if (line.empty()) throw ParamError(fmt::format("--{}: a value is required", name));
    values.emplace_back(line);
  }
  return values;
}

std::uint64_t Params::bytes(const std::string& name) const {
  std::string why;
  auto value = ParseBytes(raw(name), &why);
  if (!value) throw ParamError(fmt::format("--{}: {}", name, why));
  return *value;
}

}  // namespace concbench
