#include "core/suite.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/claims.hpp"
#include "core/json_reader.hpp"
#include "core/names.hpp"
#include "util/format.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

using nlohmann::json;

// Thrown while reading a suite; caught in LoadSuite and turned into its error.
struct SuiteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void Fail(const std::string& where, const std::string& why) {
  throw SuiteError(where + ": " + why);
}

void CheckKeys(const json& object, const std::string& where, const std::set<std::string>& known) {
  if (!object.is_object()) Fail(where, "must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    if (known.count(key) == 0) {
      Fail(where, fmt::format("unknown key '{}' (known: {})", key, fmt::join(known, ", ")));
    }
  }
}

std::string Text(const json& value, const std::string& where) {
  if (!value.is_string()) Fail(where, "must be a string");
  return value.get<std::string>();
}

unsigned Count(const json& value, const std::string& where, unsigned min) {
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() < min ||
      value.get<std::uint64_t>() > 100000) {
    Fail(where, fmt::format("must be a whole number from {} to 100000", min));
  }
  return value.get<unsigned>();
}

// A parameter value as it would be typed on the command line; a list's items joined by
// `separator` (a repeatable option's values are held one per line).
std::string OptionText(const json& value, const std::string& where, char separator = ',') {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return DumpJson(value);
  if (value.is_number()) return fmt::format("{}", value.get<double>());
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const json& item : value) items.push_back(OptionText(item, where));
    return fmt::format("{}", fmt::join(items, std::string(1, separator)));
  }
  Fail(where, "must be a string, a number, a boolean or a list");
}

// Multiplies a duration (or each of a list of them) by `scale`.
std::string ScaleDurations(const std::string& text, double scale, const std::string& where) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    std::string why;
    std::optional<Duration> duration = ParseDuration(item, &why);
    if (!duration) Fail(where, why);
    double nanos = static_cast<double>(duration->count()) * scale;
    if (!(nanos <= 86400e9)) {
      Fail(where, fmt::format("'{}' scaled by {} is above 86400s", item, scale));
    }
    auto scaled = static_cast<Duration::rep>(std::llround(nanos));
    if (scaled < 1000) Fail(where, fmt::format("'{}' scaled by {} is below 1us", item, scale));
    items.push_back(FormatDuration(Duration(scaled)));
  }
  return fmt::format("{}", fmt::join(items, ","));
}

std::string ScaleIfDuration(const std::string& name, const std::string& text, double scale,
                            const std::string& where) {
  const ParamSpec* param = FindParam(name);
  if (param == nullptr) Fail(where, UnknownParamReason(name));
  if (scale == 1) return text;
  if (param->type == ParamType::kDuration || param->type == ParamType::kDurationList) {
    return ScaleDurations(text, scale, where);
  }
  if (param->type == ParamType::kDurationOrZero) {
    std::string why;
    if (ParseDurationOrZero(text, &why) == Duration(0)) return text;  // none, at any scale
    return ScaleDurations(text, scale, where);
  }
  return text;
}

// A number, or a duration string (then in seconds, scaled); sets *seconds for durations.
double Figure(const json& value, double scale, bool* seconds, const std::string& where) {
  if (value.is_number()) return value.get<double>();  // finite: the reader refuses the rest
  if (value.is_string()) {
    std::string why;
    std::optional<Duration> duration = ParseDuration(value.get<std::string>(), &why);
    if (!duration) Fail(where, why);
    *seconds = true;
    double figure = std::chrono::duration<double>(*duration).count() * scale;
    if (!std::isfinite(figure)) Fail(where, "scaled beyond the range of a number");
    return figure;
  }
  Fail(where, "must be a number or a duration such as \"5s\"");
}

Expectation ReadExpectation(const json& entry, double scale, const std::string& where,
                            const std::vector<std::string>& engines) {
  CheckKeys(entry, where, {"engine", "metric", "value", "tolerance", "min", "max"});
  Expectation expect;
  if (entry.contains("engine")) {
    expect.engine = Text(entry["engine"], where + ".engine");
    bool ran = engines.empty() ||
               std::find(engines.begin(), engines.end(), "all") != engines.end() ||
               std::find(engines.begin(), engines.end(), expect.engine) != engines.end();
    if (!ran)
      Fail(where + ".engine", fmt::format("'{}' is not among the run's engines", expect.engine));
  }
  if (!entry.contains("metric")) Fail(where, "needs a \"metric\" (e.g. \"median\")");
  expect.metric = Text(entry["metric"], where + ".metric");
  if (!IsFigure(expect.metric)) {
    Fail(where + ".metric", fmt::format("'{}' is not a figure of a result; one of: {}",
                                        expect.metric, fmt::join(FigurePaths(), ", ")));
  }
  if (entry.contains("value"))
    expect.value = Figure(entry["value"], scale, &expect.seconds, where + ".value");
  if (entry.contains("min"))
    expect.min = Figure(entry["min"], scale, &expect.seconds, where + ".min");
  if (entry.contains("max"))
    expect.max = Figure(entry["max"], scale, &expect.seconds, where + ".max");
  if (!expect.value && !expect.min && !expect.max)
    Fail(where, "needs a \"value\", \"min\" or \"max\"");
  expect.tolerance = expect.seconds ? 0.15 : 0;
  if (entry.contains("tolerance")) {
    if (!entry["tolerance"].is_number() || !(entry["tolerance"].get<double>() >= 0)) {
      Fail(where + ".tolerance", "must be a number of 0 or more (a fraction: 0.1 is 10%)");
    }
    expect.tolerance = entry["tolerance"].get<double>();
  }
  return expect;
}

// Reads the repetition keys of `object` over `policy`.
void ReadPolicy(const json& object, const std::string& where, RepetitionPolicy& policy) {
  if (object.contains("repetitions")) {
    policy.min_runs = Count(object["repetitions"], where + ".repetitions", 1);
    policy.max_runs = policy.min_runs;
    policy.min_time_s = 0;
  }
  if (object.contains("min_runs"))
    policy.min_runs = Count(object["min_runs"], where + ".min_runs", 1);
  if (object.contains("max_runs"))
    policy.max_runs = Count(object["max_runs"], where + ".max_runs", 1);
  if (object.contains("warmup")) policy.warmup = Count(object["warmup"], where + ".warmup", 0);
  if (object.contains("min_time")) {
    std::string why;
    std::optional<Duration> d = ParseDuration(Text(object["min_time"], where + ".min_time"), &why);
    if (!d) Fail(where + ".min_time", why);
    policy.min_time_s = std::chrono::duration<double>(*d).count();
  }
  if (policy.max_runs && *policy.max_runs < policy.min_runs) {
    Fail(where, "max_runs is below min_runs");
  }
}

std::vector<std::string> Names(const json& value, const std::string& where) {
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array() || value.empty())
    Fail(where, "must be a name or a non-empty list of names");
  std::vector<std::string> names;
  for (const json& item : value) names.push_back(Text(item, where));
  return names;
}

RunSpec ReadRun(const json& entry, const std::string& where, double scale,
                const RepetitionPolicy& defaults) {
  CheckKeys(entry, where,
            {"name", "claim", "workload", "engines", "parameters", "sweep", "repetitions", "warmup",
             "min_runs", "max_runs", "min_time", "expect"});
  RunSpec spec;
  spec.context = where;
  spec.policy = defaults;
  if (!entry.contains("workload")) Fail(where, "needs a \"workload\"");
  spec.workloads = Names(entry["workload"], where + ".workload");
  if (entry.contains("engines")) spec.engines = Names(entry["engines"], where + ".engines");
  spec.name = entry.contains("name") ? Text(entry["name"], where + ".name")
                                     : fmt::format("{}", fmt::join(spec.workloads, "+"));
  if (entry.contains("claim")) spec.claim = Text(entry["claim"], where + ".claim");
  if (entry.contains("parameters")) {
    const json& parameters = entry["parameters"];
    if (!parameters.is_object()) Fail(where + ".parameters", "must be a JSON object");
    for (const auto& [name, value] : parameters.items()) {
      std::string at = where + ".parameters." + name;
      const ParamSpec* param = FindParam(name);
      char separator = param != nullptr && param->type == ParamType::kTextList ? '\n' : ',';
      spec.values[name] = ScaleIfDuration(name, OptionText(value, at, separator), scale, at);
    }
  }
  if (entry.contains("sweep")) {
    const json& sweeps = entry["sweep"];
    if (!sweeps.is_object()) Fail(where + ".sweep", "must be a JSON object of NAME: SPEC");
    for (const auto& [name, value] : sweeps.items()) {
      std::string at = where + ".sweep." + name;
      std::string why;
      std::optional<Sweep> sweep = ParseSweep(name + "=" + Text(value, at), &why);
      if (!sweep) Fail(at, why);
      // A name no parameter has may be a --var placeholder: the plan checks it.
      if (FindParam(name) != nullptr) {
        for (std::string& v : sweep->values) v = ScaleIfDuration(name, v, scale, at);
      }
      spec.sweeps.push_back(std::move(*sweep));
    }
    if (std::string why = CheckGridSize(spec.sweeps); !why.empty()) Fail(where + ".sweep", why);
  }
  ReadPolicy(entry, where, spec.policy);
  if (entry.contains("expect")) {
    const json& expect = entry["expect"];
    if (!expect.is_array()) Fail(where + ".expect", "must be a list");
    for (std::size_t i = 0; i < expect.size(); ++i) {
      spec.expect.push_back(
          ReadExpectation(expect[i], scale, fmt::format("{}.expect[{}]", where, i), spec.engines));
    }
  }
  return spec;
}

}  // namespace

std::optional<Suite> ParseSuite(std::string_view text, const std::string& path,
                                std::optional<double> time_scale, const RepetitionPolicy& defaults,
                                std::string* error) {
  Suite suite;
  suite.path = path;
  std::optional<json> parsed = ParseJsonText(text, path, error);
  if (!parsed) return std::nullopt;
  const json& document = *parsed;
  try {
    CheckKeys(document, path,
              {"description", "time_scale", "repetitions", "warmup", "min_runs", "max_runs",
               "min_time", "runs"});
    if (document.contains("description")) {
      suite.description = Text(document["description"], path + ": description");
    }
    if (document.contains("time_scale")) {
      const json& scale = document["time_scale"];
      if (!scale.is_number() || !(scale.get<double>() > 0) || scale.get<double>() > 1e3)
        Fail(path + ": time_scale", "must be a number above 0, at most 1000");
      suite.time_scale = scale.get<double>();
    }
    if (time_scale) suite.time_scale = *time_scale;
    RepetitionPolicy policy = defaults;
    ReadPolicy(document, path, policy);
    if (!document.contains("runs") || !document["runs"].is_array() || document["runs"].empty()) {
      Fail(path, "needs \"runs\": a non-empty list of runs");
    }
    std::set<std::string> names;
    const json& runs = document["runs"];
    for (std::size_t i = 0; i < runs.size(); ++i) {
      std::string where = fmt::format("{}: runs[{}]", path, i);
      RunSpec spec = ReadRun(runs[i], where, suite.time_scale, policy);
      if (!names.insert(spec.name).second)
        Fail(where, fmt::format("the name '{}' is used twice", spec.name));
      suite.runs.push_back(std::move(spec));
    }
  } catch (const SuiteError& e) {
    *error = e.what();
    return std::nullopt;
  } catch (const json::exception& e) {  // a value of an unexpected type
    *error = fmt::format("{}: {}", path, e.what());
    return std::nullopt;
  }
  return suite;
}

std::optional<Suite> LoadSuite(const std::string& path, std::optional<double> time_scale,
                               const RepetitionPolicy& defaults, std::string* error) {
  std::optional<std::string> text = ReadTextFile(path, error);
  if (!text) return std::nullopt;
  return ParseSuite(*text, path, time_scale, defaults, error);
}

}  // namespace concbench
