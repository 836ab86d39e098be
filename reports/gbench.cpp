#include "reports/gbench.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "results/labels.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

using nlohmann::json;

// Seconds in the file's unit, whole nanoseconds: compare.py prints times with no decimals, and
// the clocks are no finer.
double Ns(double seconds) { return std::round(seconds * 1e9); }

json Entry(const std::string& name, std::size_t family, std::size_t repetitions, double real_ns,
           double cpu_ns) {
  return {{"name", name},     {"family_index", family},     {"per_family_instance_index", 0},
          {"run_name", name}, {"repetitions", repetitions}, {"threads", 1},
          {"iterations", 1},  {"real_time", real_ns},       {"cpu_time", cpu_ns},
          {"time_unit", "ns"}};
}

// The workload's numeric metrics as google/benchmark's user counters, beside the entry's own
// fields (a metric named like one of them is left out).
void AddCounters(json& entry, const Result& r) {
  if (!r.metrics.is_object()) return;
  for (const auto& [key, value] : r.metrics.items()) {
    if (value.is_number() && !entry.contains(key)) entry[key] = value;
  }
}

// Why the result is marked as an error: unverified, in words.
std::string ErrorMessage(const Result& r) {
  return r.unverified_reason.empty() ? "not verified" : r.unverified_reason;
}

// google/benchmark's two complexity aggregates of a group, family `family`.
void AddComplexity(json& benchmarks, const ComplexityGroup& g, std::size_t family) {
  for (const char* aggregate : {"BigO", "RMS"}) {
    std::string name = g.name + "_" + aggregate;
    bool big_o = std::string_view(aggregate) == "BigO";
    json entry = {{"name", name},
                  {"family_index", family},
                  {"per_family_instance_index", 0},
                  {"run_name", g.name},
                  {"run_type", "aggregate"},
                  {"repetitions", g.repetitions},
                  {"threads", 1},
                  {"aggregate_name", aggregate},
                  {"aggregate_unit", big_o ? "time" : "percentage"}};
    if (big_o) {
      entry["cpu_coefficient"] = g.cpu ? g.cpu->best.coefficient * 1e9 : 0.0;
      entry["real_coefficient"] = g.real.best.coefficient * 1e9;
      entry["big_o"] = BigOGbench(g.real.best.order);
      entry["time_unit"] = "ns";
    } else {
      entry["rms"] = g.real.best.rms;
    }
    benchmarks.push_back(entry);
  }
}

}  // namespace

void WriteGbench(std::ostream& out, const Context& context, const std::vector<Result>& results,
                 const std::vector<ComplexityGroup>& complexity) {
  json benchmarks = json::array();
  for (std::size_t family = 0; family < results.size(); ++family) {
    const Result& r = results[family];
    std::string name = BenchmarkName(r);
    std::size_t n = r.times.size();
    std::vector<double> cpu;
    for (std::size_t i = 0; i < n; ++i) {
      double user = i < r.user_times.size() ? r.user_times[i] : r.user_seconds;
      double system = i < r.system_times.size() ? r.system_times[i] : r.system_seconds;
      cpu.push_back(user + system);
    }
    for (std::size_t i = 0; i < n; ++i) {
      json entry = Entry(name, family, n, Ns(r.times[i]), Ns(cpu[i]));
      entry["run_type"] = "iteration";
      entry["repetition_index"] = i;
      AddCounters(entry, r);
      if (!r.verified) {
        entry["error_occurred"] = true;
        entry["error_message"] = ErrorMessage(r);
      }
      benchmarks.push_back(entry);
    }
    // As google/benchmark: no aggregates over repetitions that ended in an error.
    if (!r.verified) continue;
    struct Aggregate {
      const char* name;
      double real, cpu;
      const char* unit;
    };
    const Aggregate aggregates[] = {
        {"mean", Ns(r.wall.mean), Ns(r.cpu.mean), "time"},
        {"median", Ns(r.wall.median), Ns(r.cpu.median), "time"},
        {"stddev", Ns(r.wall.stddev), Ns(r.cpu.stddev), "time"},
        {"cv", r.wall.cv, r.cpu.cv, "percentage"},
    };
    for (const Aggregate& a : aggregates) {
      json entry = Entry(name + "_" + a.name, family, n, a.real, a.cpu);
      entry["run_name"] = name;
      entry["run_type"] = "aggregate";
      entry["aggregate_name"] = a.name;
      entry["aggregate_unit"] = a.unit;
      entry["iterations"] = n;
      if (std::string_view(a.unit) == "time" && std::string_view(a.name) != "stddev") {
        AddCounters(entry, r);  // a metric is already a median over the repetitions
      }
      benchmarks.push_back(entry);
    }
  }
  for (std::size_t i = 0; i < complexity.size(); ++i) {
    AddComplexity(benchmarks, complexity[i], results.size() + i);
  }
  json document = {
      {"context",
       {{"date", context.date},
        {"host_name", context.host},
        {"executable", "concbench"},
        {"num_cpus", context.logical_cpus},
        {"mhz_per_cpu", 0},
        {"cpu_scaling_enabled", false},
        {"caches", json::array()},
        {"load_avg", json::array()},
        {"library_build_type", context.build_type == "Debug" ? "debug" : "release"},
        {"concbench_version", context.version},
        {"command_line", context.command_line}}},
      {"benchmarks", benchmarks},
  };
  out << DumpJson(document, 2) << '\n';
}

}  // namespace concbench
