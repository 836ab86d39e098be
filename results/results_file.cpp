#include "results/results_file.hpp"

#include <fmt/format.h>

#include "results/json.hpp"
#include "results/labels.hpp"
#include "results/statistics.hpp"

namespace concbench {
namespace {

// Reads fields of one JSON object leniently: a missing field, or one of another type, leaves the
// destination as it was (a file written before the field existed).
class Fields {
 public:
  explicit Fields(const nlohmann::json& object) : object_(object) {}

  const nlohmann::json& Get(const char* key) const {
    static const nlohmann::json kNull;
    return object_.is_object() && object_.contains(key) ? object_[key] : kNull;
  }
  Fields Sub(const char* key) const { return Fields(Get(key)); }

  void Read(const char* key, double& out) const {
    if (Get(key).is_number()) out = Get(key).get<double>();
  }
  void Read(const char* key, std::size_t& out) const {
    if (Get(key).is_number_unsigned()) out = Get(key).get<std::size_t>();
  }
  void Read(const char* key, long& out) const {
    if (Get(key).is_number_integer()) out = Get(key).get<long>();
  }
  void Read(const char* key, unsigned& out) const {
    if (Get(key).is_number_unsigned()) out = Get(key).get<unsigned>();
  }
  void Read(const char* key, bool& out) const {
    if (Get(key).is_boolean()) out = Get(key).get<bool>();
  }
  void Read(const char* key, std::string& out) const {
    if (Get(key).is_string()) out = Get(key).get<std::string>();
  }
  void Read(const char* key, std::vector<std::string>& out) const {
    if (!Get(key).is_array()) return;
    for (const nlohmann::json& item : Get(key)) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  void Read(const char* key, std::optional<double>& out) const {
    if (Get(key).is_number()) out = Get(key).get<double>();
  }

 private:
  const nlohmann::json& object_;
};

void ReadSummary(const Fields& entry, Summary& wall) {
  entry.Read("mean", wall.mean);
  entry.Read("median", wall.median);
  entry.Read("stddev", wall.stddev);
  entry.Read("min", wall.min);
  entry.Read("max", wall.max);
  entry.Read("mad", wall.mad);
  entry.Read("p5", wall.p5);
  entry.Read("p25", wall.p25);
  entry.Read("p75", wall.p75);
  entry.Read("p95", wall.p95);
  entry.Read("cv", wall.cv);
  entry.Read("outliers", wall.outliers);
  const nlohmann::json& ci = entry.Get("median_ci");
  if (ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number()) {
    wall.median_ci_low = ci[0].get<double>();
    wall.median_ci_high = ci[1].get<double>();
  }
}

void ReadLatency(const Fields& latency, LatencySummary& out) {
  latency.Read("p50", out.p50);
  latency.Read("p90", out.p90);
  latency.Read("p99", out.p99);
  latency.Read("max", out.max);
}

// [[task, start, end, worker, status], ...]; rows of another shape are left out.
std::vector<TaskSpan> ReadTimeline(const nlohmann::json& rows) {
  std::vector<TaskSpan> timeline;
  if (!rows.is_array()) return timeline;
  for (const nlohmann::json& row : rows) {
    if (!row.is_array() || (row.size() != 5 && row.size() != 7) || !row[0].is_number_unsigned() ||
        !row[1].is_number() || !row[2].is_number() || !row[3].is_number_integer() ||
        !row[4].is_string()) {
      continue;
    }
    TaskSpan span{row[0].get<std::size_t>(), row[1].get<double>(), row[2].get<double>(),
                  row[3].get<long>(), TaskStatus::kNotRun};
    for (TaskStatus status : {TaskStatus::kOk, TaskStatus::kFailed, TaskStatus::kCancelled}) {
      if (row[4].get<std::string>() == TaskStatusName(status)) span.status = status;
    }
    if (row.size() == 7 && row[5].is_number_unsigned() && row[6].is_number_unsigned()) {
      span.step = row[5].get<long>();
      span.point = row[6].get<long>();
    }
    timeline.push_back(span);
  }
  return timeline;
}

// The settings `command` names ("sleep on asio (delay=2ms, tasks=3)"), as CommandName wrote them.
std::set<std::string> GivenIn(const std::string& command, const nlohmann::json& settings) {
  std::set<std::string> given;
  std::size_t open = command.find(" (");
  if (open == std::string::npos || !settings.is_object()) return given;
  std::string named = ", " + command.substr(open + 2);
  for (const auto& [name, value] : settings.items()) {
    if (named.find(", " + name + "=" + ShortValue(value)) != std::string::npos) given.insert(name);
  }
  return given;
}

void ReadRest(const Fields& entry, Result& r) {
  ReadSummary(entry, r.wall);
  if (entry.Get("exit_codes").is_array()) {
    for (const nlohmann::json& code : entry.Get("exit_codes")) {
      if (code.is_number_integer()) r.exit_codes.push_back(code.get<int>());
    }
  }
  entry.Read("user", r.user_seconds);
  entry.Read("system", r.system_seconds);
  entry.Read("peak_rss_bytes", r.peak_rss_bytes);
  entry.Read("peak_rss_sum_bytes", r.peak_rss_sum_bytes);
  entry.Read("memory_method", r.memory_method);
  entry.Sub("context_switches").Read("voluntary", r.voluntary_switches);
  entry.Sub("context_switches").Read("involuntary", r.involuntary_switches);
  Fields commands = entry.Sub("commands");
  commands.Read("user", r.commands.user_seconds);
  commands.Read("system", r.commands.system_seconds);
  commands.Read("peak_rss_bytes", r.commands.peak_rss_bytes);
  commands.Read("processes", r.commands.processes);
  Fields tasks = entry.Sub("tasks");
  tasks.Read("total", r.tasks.total);
  tasks.Read("completed", r.tasks.completed);
  tasks.Read("failed", r.tasks.failed);
  tasks.Read("cancelled", r.tasks.cancelled);
  tasks.Read("pending", r.tasks.pending);
  entry.Read("ideal", r.ideal_seconds);
  entry.Read("efficiency", r.efficiency);
  entry.Read("efficiency_note", r.efficiency_note);
  entry.Read("speedup", r.speedup);
  if (entry.Get("relative").is_object()) {
    r.relative.emplace();
    entry.Sub("relative").Read("reference", r.relative->reference);
    entry.Sub("relative").Read("ratio", r.relative->ratio);
    entry.Sub("relative").Read("uncertainty", r.relative->uncertainty);
  }
  entry.Read("verified", r.verified);
  entry.Read("unverified_reason", r.unverified_reason);
  entry.Read("problems", r.problems);
  entry.Read("warnings", r.warnings);
  for (const std::string& problem : r.problems) r.incomplete |= problem.starts_with("incomplete:");
  if (entry.Get("metrics").is_object()) r.metrics = entry.Get("metrics");
  ReadLatency(entry.Sub("latency").Sub("start_delay"), r.start_delay);
  ReadLatency(entry.Sub("latency").Sub("completion"), r.completion);
  r.timeline = ReadTimeline(entry.Get("timeline"));
  if (entry.Get("context").is_object()) r.context = ContextFromJson(entry.Get("context"));
}

}  // namespace

Context ContextFromJson(const nlohmann::json& object) {
  Fields fields(object);
  Context context;
  fields.Read("date", context.date);
  fields.Read("host", context.host);
  fields.Read("os", context.os);
  fields.Read("kernel", context.kernel);
  fields.Read("cpu_model", context.cpu_model);
  fields.Read("logical_cpus", context.logical_cpus);
  fields.Read("compiler", context.compiler);
  fields.Read("build_type", context.build_type);
  fields.Read("concbench_version", context.version);
  fields.Read("git_commit", context.git_commit);
  fields.Read("command_line", context.command_line);
  if (object.contains("mpi") && object["mpi"].is_object()) context.mpi = object["mpi"];
  return context;
}

std::optional<std::vector<Result>> WholeResultsFromJson(const nlohmann::json& document,
                                                        std::string* error) {
  std::optional<std::vector<Result>> results = ResultsFromJson(document, error);
  if (!results) return std::nullopt;
  const nlohmann::json& list = document["results"];
  for (std::size_t i = 0; i < results->size(); ++i) {
    Result& r = (*results)[i];
    Fields entry(list[i]);
    ReadRest(entry, r);
    std::string command;
    entry.Read("command", command);
    nlohmann::json settings = r.workload_parameters;
    settings.update(r.engine_parameters);
    r.given_parameters = GivenIn(command, settings);
    std::vector<double> cpu;
    for (std::size_t k = 0; k < r.user_times.size() && k < r.system_times.size(); ++k) {
      cpu.push_back(r.user_times[k] + r.system_times[k]);
    }
    if (!cpu.empty()) r.cpu = Summarize(cpu);
  }
  return results;
}

}  // namespace concbench
