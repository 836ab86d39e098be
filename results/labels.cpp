#include "results/labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include "util/json_text.hpp"

namespace concbench {
namespace {

nlohmann::json MergedParameters(const Result& result) {
  nlohmann::json parameters = result.workload_parameters;
  if (!parameters.is_object()) parameters = nlohmann::json::object();
  if (result.engine_parameters.is_object()) parameters.update(result.engine_parameters);
  return parameters;
}

std::string Plain(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : DumpJson(value);
}

// FNV-1a: a short, stable fingerprint of a long value.
std::uint32_t Fingerprint(const std::string& text) {
  std::uint32_t hash = 2166136261u;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

}  // namespace

std::string ShortValue(const nlohmann::json& value) {
  if (!value.is_array()) return Plain(value);
  if (value.size() > 3) return fmt::format("[{} values]", value.size());
  std::vector<std::string> items;
  for (const auto& item : value) items.push_back(Plain(item));
  return fmt::format("{}", fmt::join(items, ","));
}

namespace {

// "name=value" for each member of `parameters` (an object, or nothing), `separator` between.
std::string PairsText(const nlohmann::json& parameters, const char* separator) {
  std::vector<std::string> parts;
  if (parameters.is_object()) {
    for (const auto& [name, value] : parameters.items()) {
      parts.push_back(name + "=" + ShortValue(value));
    }
  }
  return fmt::format("{}", fmt::join(parts, separator));
}

}  // namespace

std::string EfficiencyText(const Result& result) {
  return result.efficiency ? fmt::format("{:.1f}%", *result.efficiency * 100) : "—";
}

std::string ParameterText(const Result& result, const char* separator) {
  return PairsText(result.workload_parameters, separator);
}

std::string EngineSettingsText(const Result& result, const char* separator) {
  return PairsText(result.engine_parameters, separator);
}

std::string EngineText(const Result& result) {
  std::string settings = EngineSettingsText(result, ", ");
  return settings.empty() ? result.engine : fmt::format("{} ({})", result.engine, settings);
}

nlohmann::json KeyParameters(const Result& result) {
  nlohmann::json parameters = MergedParameters(result);
  if (!result.given_parameters) return parameters;
  nlohmann::json key = nlohmann::json::object();
  for (const auto& [name, value] : parameters.items()) {
    std::string option = name;  // fail_rate is given as --fail-rate
    std::replace(option.begin(), option.end(), '_', '-');
    if (result.given_parameters->contains(name) || result.given_parameters->contains(option)) {
      key[name] = value;
    }
  }
  return key;
}

std::string CommandName(const Result& result) {
  std::string name = result.run.empty() ? "" : result.run + ": ";
  name += result.workload + " on " + result.engine;
  std::vector<std::string> parts;
  const nlohmann::json parameters = KeyParameters(result);
  for (const auto& [key, value] : parameters.items()) {
    parts.push_back(key + "=" + ShortValue(value));
  }
  if (parts.empty()) return name;
  return fmt::format("{} ({})", name, fmt::join(parts, ", "));
}

std::string BenchmarkName(const Result& result) {
  std::string name = result.run.empty() ? "" : result.run + "/";
  name += result.workload + "/" + result.engine;
  // A named run keeps its name when its parameters change: only its sweep point is named.
  nlohmann::json parameters = result.run.empty() ? KeyParameters(result) : result.sweep;
  for (const auto& [key, value] : parameters.items()) {
    std::string text = ShortValue(value);
    if (value.is_array() && value.size() > 3) {
      text = fmt::format("{}x{:08x}", value.size(), Fingerprint(DumpJson(value)));
    }
    name += "/" + key + ":" + text;
  }
  return name;
}

}  // namespace concbench
