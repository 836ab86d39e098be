#include "results/json.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "concbench/params.hpp"
#include "results/labels.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

nlohmann::json LatencyToJson(const LatencySummary& latency) {
  return {{"p50", latency.p50}, {"p90", latency.p90}, {"p99", latency.p99}, {"max", latency.max}};
}

// 2^63: byte counts are read into a long, which holds less (a double above: undefined).
constexpr double kMaxByteCount = 9223372036854775808.0;

// Seconds rounded to the microsecond: the clocks are no finer in practice, and it keeps the
// file small.
double Microseconds(double seconds) { return std::round(seconds * 1e6) / 1e6; }

// [[task, start, end, worker, status(, step, point in a graph)], ...]; null above kMaxTimelineTasks.
nlohmann::json TimelineToJson(const std::vector<TaskSpan>& timeline) {
  if (timeline.size() > kMaxTimelineTasks) return nullptr;
  nlohmann::json rows = nlohmann::json::array();
  for (const TaskSpan& span : timeline) {
    nlohmann::json row = {span.task, Microseconds(span.start), Microseconds(span.end), span.worker,
                          TaskStatusName(span.status)};
    if (span.step >= 0) row.insert(row.end(), {span.step, span.point});
    rows.push_back(std::move(row));
  }
  return rows;
}

// hyperfine's `parameters`: the swept names and their values as strings, a duration in seconds
// and a byte size in bytes, so that plain numbers reach its plot_parametrized.py.
nlohmann::json HyperfineParameters(const nlohmann::json& sweep) {
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : sweep.items()) {
    std::string text = value.is_string() ? value.get<std::string>() : DumpJson(value);
    std::string why;
    if (auto duration = ParseDuration(text, &why)) {
      text = fmt::format("{}", std::chrono::duration<double>(*duration).count());
    } else if (auto bytes = ParseBytes(text, &why)) {
      text = fmt::format("{}", *bytes);
    }
    parameters[name] = text;
  }
  return parameters;
}

}  // namespace

nlohmann::json ContextToJson(const Context& context) {
  nlohmann::json json = {
      {"date", context.date},
      {"host", context.host},
      {"os", context.os},
      {"kernel", context.kernel},
      {"cpu_model", context.cpu_model},
      {"logical_cpus", context.logical_cpus},
      {"compiler", context.compiler},
      {"build_type", context.build_type},
      {"concbench_version", context.version},
      {"git_commit",
       context.git_commit.empty() ? nlohmann::json() : nlohmann::json(context.git_commit)},
      {"command_line", context.command_line},
  };
  if (!context.mpi.is_null()) json["mpi"] = context.mpi;
  return json;
}

nlohmann::json ResultToJson(const Result& result) {
  nlohmann::json settings = result.workload_parameters;
  settings.update(result.engine_parameters);
  nlohmann::json entry = {
      {"command", CommandName(result)},
      {"workload", result.workload},
      {"engine", result.engine},
      {"parameters", HyperfineParameters(result.sweep)},
      {"settings", settings},
      {"engine_settings", result.engine_parameters.is_object() ? result.engine_parameters
                                                                : nlohmann::json::object()},
      {"run", result.run.empty() ? nlohmann::json() : nlohmann::json(result.run)},
      {"sweep", result.sweep},
      {"times", result.times},
      {"exit_codes", result.exit_codes},
      {"mean", result.wall.mean},
      {"median", result.wall.median},
      {"stddev", result.wall.stddev},
      {"min", result.wall.min},
      {"max", result.wall.max},
      {"mad", result.wall.mad},
      {"p5", result.wall.p5},
      {"p25", result.wall.p25},
      {"p75", result.wall.p75},
      {"p95", result.wall.p95},
      {"cv", result.wall.cv},
      {"median_ci", {result.wall.median_ci_low, result.wall.median_ci_high}},
      {"outliers", result.wall.outliers},
      {"user_times", result.user_times},
      {"system_times", result.system_times},
      {"peak_rss_samples", result.peak_rss_samples},
      {"user", result.user_seconds},
      {"system", result.system_seconds},
      {"peak_rss_bytes", result.peak_rss_bytes},
      {"peak_rss_sum_bytes", result.peak_rss_sum_bytes},
      {"memory_method", result.memory_method},
      {"context_switches",
       {{"voluntary", result.voluntary_switches}, {"involuntary", result.involuntary_switches}}},
      {"commands",
       {{"user", result.commands.user_seconds},
        {"system", result.commands.system_seconds},
        {"peak_rss_bytes", result.commands.peak_rss_bytes},
        {"processes", result.commands.processes}}},
      {"tasks",
       {{"total", result.tasks.total},
        {"completed", result.tasks.completed},
        {"failed", result.tasks.failed},
        {"cancelled", result.tasks.cancelled},
        {"pending", result.tasks.pending}}},
      {"ideal", result.ideal_seconds},
      {"efficiency", result.efficiency ? nlohmann::json(*result.efficiency) : nlohmann::json()},
      {"efficiency_note",
       result.efficiency ? nlohmann::json() : nlohmann::json(result.efficiency_note)},
      {"speedup", result.speedup ? nlohmann::json(*result.speedup) : nlohmann::json()},
      {"relative", result.relative ? nlohmann::json{{"reference", result.relative->reference},
                                                    {"ratio", result.relative->ratio},
                                                    {"uncertainty", result.relative->uncertainty}}
                                   : nlohmann::json()},
      {"verified", result.verified},
      {"unverified_reason",
       result.verified ? nlohmann::json() : nlohmann::json(result.unverified_reason)},
      {"problems", result.problems},
      {"warnings", result.warnings},
      {"metrics", result.metrics},
      {"latency",
       {{"start_delay", LatencyToJson(result.start_delay)},
        {"completion", LatencyToJson(result.completion)}}},
      {"timeline", TimelineToJson(result.timeline)},
  };
  if (result.context) entry["context"] = ContextToJson(*result.context);
  return entry;
}

void WriteJson(std::ostream& out, const Context& context, const std::vector<Result>& results,
               const nlohmann::json& extra) {
  nlohmann::json document = {{"schema", kJsonSchema}, {"context", ContextToJson(context)}};
  document["results"] = nlohmann::json::array();
  for (const Result& result : results) document["results"].push_back(ResultToJson(result));
  for (const auto& [key, value] : extra.items()) document[key] = value;
  out << DumpJson(document, 2) << '\n';
}

nlohmann::json SuiteToJson(const std::string& file, const std::string& description,
                           double time_scale, const std::vector<ExpectationOutcome>& outcomes) {
  nlohmann::json expectations = nlohmann::json::array();
  for (const ExpectationOutcome& o : outcomes) {
    expectations.push_back({{"run", o.run},
                            {"engine", o.engine},
                            {"claim", o.claim},
                            {"metric", o.metric},
                            {"expected", o.expected},
                            {"measured", o.measured},
                            {"passed", o.passed}});
  }
  return {{"suite", {{"file", file}, {"description", description}, {"time_scale", time_scale}}},
          {"expectations", expectations}};
}

namespace {

// The result's run name and sweep point when it has them; whether it was verified, and why not
// (a file from before "verified" was written is trusted; compare never pairs what failed).
void ReadNameAndVerdict(const nlohmann::json& entry, Result& r) {
  if (entry.contains("run") && entry["run"].is_string()) r.run = entry["run"].get<std::string>();
  if (entry.contains("sweep") && entry["sweep"].is_object()) r.sweep = entry["sweep"];
  r.verified = !entry.contains("verified") || entry["verified"] == true;
  if (entry.contains("unverified_reason") && entry["unverified_reason"].is_string()) {
    r.unverified_reason = entry["unverified_reason"].get<std::string>();
  }
  // How its peak memory was measured; a file from before "memory_method" does not say.
  r.memory_method = entry.contains("memory_method") && entry["memory_method"].is_string()
                        ? entry["memory_method"].get<std::string>()
                        : "unrecorded";
}

}  // namespace

namespace {

// Reads a result's identity (workload, engine, parameters) from `entry`; returns "" or
// "KEY: why".
std::string ReadIdentity(const nlohmann::json& entry, Result& r) {
  for (const char* key : {"workload", "engine"}) {
    if (!entry.contains(key) || !entry[key].is_string()) {
      return std::string(key) + ": missing or not a string";
    }
  }
  r.workload = entry["workload"].get<std::string>();
  r.engine = entry["engine"].get<std::string>();
  // "settings" holds every parameter; a file written before it had them in "parameters".
  const char* settings = entry.contains("settings") ? "settings" : "parameters";
  if (!entry.contains(settings) || !entry[settings].is_object()) {
    return std::string(settings) + ": missing or not an object";
  }
  r.workload_parameters = entry[settings];
  r.engine_parameters = nlohmann::json::object();
  // "engine_settings" names the engine's own among them; older files do not say.
  if (entry.contains("engine_settings")) {
    const nlohmann::json& engine_settings = entry["engine_settings"];
    if (!engine_settings.is_object()) return "engine_settings: not an object";
    for (const auto& [name, value] : engine_settings.items()) {
      r.engine_parameters[name] = value;
      r.workload_parameters.erase(name);
    }
  }
  return "";
}

}  // namespace

std::optional<std::vector<Result>> ResultsFromJson(const nlohmann::json& document,
                                                   std::string* error) {
  if (!document.is_object() || !document.contains("schema")) {
    *error = "not a concbench results file (no \"schema\")";
    return std::nullopt;
  }
  if (document["schema"] != kJsonSchema) {
    *error = fmt::format("schema {} is not {}", DumpJson(document["schema"]), kJsonSchema);
    return std::nullopt;
  }
  if (!document.contains("results") || !document["results"].is_array()) {
    *error = "results: missing or not a list";
    return std::nullopt;
  }
  std::vector<Result> results;
  const nlohmann::json& list = document["results"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& entry = list[i];
    std::string where = fmt::format("results[{}]", i);
    auto fail = [&](const std::string& key, const std::string& why) {
      *error = fmt::format("{}.{}: {}", where, key, why);
      return std::nullopt;
    };
    if (!entry.is_object()) {
      *error = where + ": not an object";
      return std::nullopt;
    }
    Result r;
    if (std::string why = ReadIdentity(entry, r); !why.empty()) {
      *error = fmt::format("{}.{}", where, why);
      return std::nullopt;
    }
    auto numbers = [&](const char* key, std::vector<double>& out, bool required) -> bool {
      if (!entry.contains(key)) {
        if (required) *error = fmt::format("{}.{}: missing", where, key);
        return !required;
      }
      const nlohmann::json& values = entry[key];
      if (!values.is_array()) {
        *error = fmt::format("{}.{}: not a list of numbers", where, key);
        return false;
      }
      for (const nlohmann::json& v : values) {
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0) {
          std::string text = v.is_number() ? fmt::format("{}", v.get<double>()) : DumpJson(v);
          *error = fmt::format("{}.{}: {} is not a finite number of 0 or more", where, key, text);
          return false;
        }
        out.push_back(v.get<double>());
      }
      return true;
    };
    std::vector<double> peaks;
    if (!numbers("times", r.times, true) || !numbers("user_times", r.user_times, false) ||
        !numbers("system_times", r.system_times, false) ||
        !numbers("peak_rss_samples", peaks, false)) {
      return std::nullopt;
    }
    ReadNameAndVerdict(entry, r);
    // A point stopped before its first run (exec's failed --setup) has no times; it is not
    // verified, and a comparison says why.
    if (r.times.empty() && r.verified) return fail("times", "empty in a verified result");
    for (double peak : peaks) {
      if (peak >= kMaxByteCount) {
        return fail("peak_rss_samples", fmt::format("{} is beyond the largest byte count", peak));
      }
      r.peak_rss_samples.push_back(static_cast<long>(peak));
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace concbench
