#include "core/plan.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "concbench/workload_registry.hpp"
#include "engines/registry.hpp"

namespace concbench {
namespace {

// The entries named (a group's word names its entries); for "all", all but named-only ones.
template <typename Info>
std::vector<const Info*> Select(const std::vector<Info>& registry,
                                const std::vector<std::string>& names) {
  std::vector<const Info*> selected;
  if (names.empty() || std::find(names.begin(), names.end(), "all") != names.end()) {
    for (const Info& info : registry) {
      bool named = std::find(names.begin(), names.end(), info.name) != names.end();
      if constexpr (requires { info.named_only; }) {
        if (info.named_only && !named) continue;
      }
      selected.push_back(&info);
    }
    return selected;
  }
  for (const std::string& name : names) {
    for (const Info& info : registry) {
      bool in_group = false;  // workloads have no groups
      if constexpr (requires { info.group; }) in_group = info.group == name;
      if ((info.name == name || in_group) &&
          std::find(selected.begin(), selected.end(), &info) == selected.end()) {
        selected.push_back(&info);
      }
    }
  }
  return selected;
}

// The values of `values` that are `workload`'s parameters: its recipe's (see WorkloadRecipe).
std::map<std::string, std::string> GivenValues(const WorkloadInfo& workload,
                                               const std::map<std::string, std::string>& values) {
  std::map<std::string, std::string> given;
  for (const ParamSpec& spec : workload.params) {
    if (auto it = values.find(spec.name); it != values.end()) given.insert(*it);
  }
  return given;
}

// "--delay: ..." on the command line, "FILE: runs[2]: --delay: ..." in a suite.
std::string Where(const RunSpec& spec, const std::string& message) {
  return spec.context.empty() ? message : spec.context + ": " + message;
}

// " (it applies to the process engine only)" or similar, naming where parameter `name` applies.
std::string AppliesTo(const std::string& name) {
  std::vector<std::string> owners;
  auto collect = [&](const auto& registry, const char* kind) {
    for (const auto& info : registry) {
      for (const ParamSpec& spec : info.params) {
        if (spec.name == name) owners.push_back(fmt::format("the {} {}", info.name, kind));
      }
    }
  };
  collect(WorkloadRegistry(), "workload");
  collect(EngineRegistry(), "engine");
  if (owners.empty()) return "";
  return fmt::format(" (it applies to {} only)", fmt::join(owners, ", "));
}

// True when `names` chose entries by name, not "all", a group's word ("python") or by default.
bool Named(const std::vector<std::string>& names) {
  auto chosen = [](const std::string& n) { return n != "all" && n != "python"; };
  return !names.empty() && std::all_of(names.begin(), names.end(), chosen);
}

// The names of every parameter of `workloads` and `engines`.
std::set<std::string> Applicable(const std::vector<const WorkloadInfo*>& workloads,
                                 const std::vector<const EngineInfo*>& engines) {
  std::set<std::string> applicable;
  for (const auto* info : workloads) {
    for (const ParamSpec& p : info->params) applicable.insert(p.name);
  }
  for (const auto* info : engines) {
    for (const ParamSpec& p : info->params) applicable.insert(p.name);
  }
  return applicable;
}

// Checks `spec`'s values and sweeps against the `applicable` parameters; "" or why not.
std::string CheckValues(const RunSpec& spec, const std::set<std::string>& applicable) {
  for (const auto& [name, value] : spec.values) {
    if (applicable.count(name) == 0) {
      return fmt::format("--{}: does not apply to the selected workloads and engines{}", name,
                         AppliesTo(name));
    }
    if (std::string why = ValidateParam(*FindParam(name), value); !why.empty()) {
      return fmt::format("--{}: {}", name, why);
    }
  }
  std::set<std::string> swept;
  for (const Sweep& sweep : spec.sweeps) {
    if (IsVarSweep(spec.values, sweep.name)) {
      if (!swept.insert(sweep.name).second) {
        return fmt::format("--sweep {}: is given more than once", sweep.name);
      }
      continue;
    }
    const ParamSpec* param = FindParam(sweep.name);
    std::string why;
    if (param == nullptr || applicable.count(sweep.name) == 0) {
      why = param == nullptr ? UnknownParamReason(sweep.name)
                             : "does not apply to the selected workloads and engines";
    } else if (param->type == ParamType::kFlag) {
      why = "a flag cannot be swept";
    } else if (spec.values.count(sweep.name)) {
      why = "it has a value too (--" + sweep.name +
            " or a suite run's \"parameters\"): give it one value or sweep it, not both";
    } else if (!swept.insert(sweep.name).second) {
      why = "is given more than once";
    }
    for (const std::string& value : sweep.values) {
      if (!why.empty()) break;
      why = ValidateParam(*param, value);
    }
    if (!why.empty()) return fmt::format("--sweep {}: {}", sweep.name, why);
  }
  return "";
}

// The swept values at `point_values` that `workload` or `engine` has, in *relevant. False when a
// swept parameter neither has is not at its first value: the point would repeat a measurement.
bool RelevantSweep(const RunSpec& spec, const WorkloadInfo& workload, const EngineInfo& engine,
                   const std::map<std::string, std::string>& point_values,
                   std::map<std::string, std::string>* relevant) {
  for (const Sweep& sweep : spec.sweeps) {
    auto has = [&](const std::vector<ParamSpec>& params) {
      return std::any_of(params.begin(), params.end(),
                         [&](const ParamSpec& p) { return p.name == sweep.name; });
    };
    const std::string& value = point_values.at(sweep.name);
    bool var = IsVarSweep(spec.values, sweep.name) &&
               std::any_of(workload.params.begin(), workload.params.end(),
                           [](const ParamSpec& p) { return p.name == "var"; });
    if (var || has(workload.params) || has(engine.params)) {
      (*relevant)[sweep.name] = value;
    } else if (value != sweep.values.front()) {
      return false;
    }
  }
  return true;
}

// Adds the points of one workload at one sweep value, one per engine. A workload that cannot
// run on an engine is an error when both were named (false, *error set), else the pair is left
// out with a note in *skipped. Throws ParamError on a bad parameter.
bool AddPoints(const RunSpec& spec, std::size_t spec_index, const WorkloadInfo& workload_info,
               const std::vector<const EngineInfo*>& engines,
               const std::map<std::string, std::string>& point_values, std::vector<Point>& points,
               std::string* error, std::vector<std::string>* skipped) {
  std::map<std::string, std::string> values = spec.values;
  for (const auto& [name, value] : point_values) {
    if (IsVarSweep(spec.values, name)) {
      values["var"] += "\n" + name + "=" + value;  // the last definition of a name holds
    } else {
      values.insert({name, value});
    }
  }
  std::shared_ptr<Workload> workload = workload_info.make(ParamsFor(workload_info.params, values));
  for (const EngineInfo* engine_info : engines) {
    std::map<std::string, std::string> relevant;
    if (!RelevantSweep(spec, workload_info, *engine_info, point_values, &relevant)) continue;
    Point point;
    point.spec = spec_index;
    point.workload = workload;
    point.engine = engine_info->make(ParamsFor(engine_info->params, values));
    point.engine->set_recipe({std::string(workload_info.name), GivenValues(workload_info, values)});
    if (std::string why = CannotRun(*workload, *point.engine); !why.empty()) {
      std::string message =
          fmt::format("{} cannot run on {}: {}", workload_info.name, engine_info->name, why);
      if (Named(spec.workloads) && Named(spec.engines)) {
        *error = Where(spec, "--engine: " + message);
        return false;
      }
      skipped->push_back(Where(spec, message));
      continue;
    }
    point.swept = relevant;
    point.label =
        PointLabel(std::string(workload_info.name), std::string(engine_info->name), relevant);
    points.push_back(std::move(point));
  }
  return true;
}

}  // namespace

std::string PointLabel(const std::string& workload, const std::string& engine,
                       const std::map<std::string, std::string>& swept) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : swept) parts.push_back(name + "=" + value);
  if (parts.empty()) return workload + " on " + engine;
  return fmt::format("{} on {} ({})", workload, engine, fmt::join(parts, ", "));
}

unsigned RepetitionPolicy::RunsFor(double first_run_s) const {
  double wanted = static_cast<double>(min_runs);
  if (min_time_s > 0 && first_run_s > 0) {
    wanted = std::max(wanted, std::ceil(min_time_s / first_run_s));
  }
  if (max_runs) wanted = std::min(wanted, static_cast<double>(*max_runs));
  return static_cast<unsigned>(std::clamp(wanted, 1.0, 1e6));
}

std::vector<ParamSpec> AllParams() {
  std::vector<ParamSpec> all;
  std::set<std::string> seen;
  auto add = [&](const std::vector<ParamSpec>& specs) {
    for (const ParamSpec& spec : specs) {
      if (seen.insert(spec.name).second) all.push_back(spec);
    }
  };
  for (const WorkloadInfo& info : WorkloadRegistry()) add(info.params);
  for (const EngineInfo& info : EngineRegistry()) add(info.params);
  return all;
}

std::vector<ParamDefault> ParamDefaults(const std::string& name) {
  std::vector<ParamDefault> defaults;
  auto add = [&](std::string_view plugin, const std::vector<ParamSpec>& specs) {
    for (const ParamSpec& spec : specs) {
      if (spec.name != name) continue;
      auto same = std::find_if(defaults.begin(), defaults.end(), [&](const ParamDefault& d) {
        return d.value == spec.default_value;
      });
      if (same == defaults.end()) same = defaults.insert(defaults.end(), {spec.default_value, {}});
      same->plugins.emplace_back(plugin);
    }
  };
  for (const WorkloadInfo& info : WorkloadRegistry()) add(info.name, info.params);
  for (const EngineInfo& info : EngineRegistry()) add(info.name, info.params);
  std::stable_sort(defaults.begin(), defaults.end(), [](const auto& a, const auto& b) {
    return a.plugins.size() > b.plugins.size();
  });
  return defaults;
}

std::optional<std::vector<Point>> MakePoints(const std::vector<RunSpec>& specs, std::string* error,
                                             std::vector<std::string>* skipped,
                                             std::stop_token stop) {
  std::vector<Point> points;
  for (std::size_t s = 0; s < specs.size(); ++s) {
    const RunSpec& spec = specs[s];
    auto workloads = Select(WorkloadRegistry(), spec.workloads);
    auto engines = Select(EngineRegistry(), spec.engines);
    std::string why = workloads.empty() || engines.empty()
                          ? "no workload or engine selected"
                          : CheckValues(spec, Applicable(workloads, engines));
    if (!why.empty()) {
      *error = Where(spec, why);
      return std::nullopt;
    }
    try {
      for (const WorkloadInfo* workload : workloads) {
        for (const auto& point_values : SweepGrid(spec.sweeps)) {
          if (stop.stop_requested() ||
              !AddPoints(spec, s, *workload, engines, point_values, points, error, skipped)) {
            return std::nullopt;
          }
        }
      }
    } catch (const ParamError& e) {
      *error = Where(spec, e.what());
      return std::nullopt;
    }
  }
  return points;
}

}  // namespace concbench
