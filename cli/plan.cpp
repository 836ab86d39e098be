#include "cli/plan.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engines/registry.hpp"
#include "workloads/registry.hpp"

namespace concbench {
namespace {

// The selected registry entries, in the order named; all, in registry order, when `names` is
// empty or holds "all".
template <typename Info>
std::vector<const Info*> Select(const std::vector<Info>& registry,
                                const std::vector<std::string>& names) {
  std::vector<const Info*> selected;
  if (names.empty() || std::find(names.begin(), names.end(), "all") != names.end()) {
    for (const Info& info : registry) selected.push_back(&info);
    return selected;
  }
  for (const std::string& name : names) {
    for (const Info& info : registry) {
      if (info.name == name &&
          std::find(selected.begin(), selected.end(), &info) == selected.end()) {
        selected.push_back(&info);
      }
    }
  }
  return selected;
}

// The values for `specs`: those in `values`, else the defaults.
Params ParamsFor(const std::vector<ParamSpec>& specs,
                 const std::map<std::string, std::string>& values) {
  Params params;
  for (const ParamSpec& spec : specs) {
    auto it = values.find(spec.name);
    if (it != values.end()) {
      params.set(spec.name, it->second, true);
    } else if (!spec.default_value.empty()) {
      params.set(spec.name, spec.default_value, false);
    }
  }
  return params;
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

// True when `names` chose entries by name rather than "all" or by default.
bool Named(const std::vector<std::string>& names) {
  return !names.empty() && std::find(names.begin(), names.end(), "all") == names.end();
}

std::string Label(const std::string& workload, const std::string& engine,
                  const std::map<std::string, std::string>& swept) {
  std::string label = workload + " on " + engine;
  if (swept.empty()) return label;
  std::vector<std::string> parts;
  for (const auto& [name, value] : swept) parts.push_back(name + "=" + value);
  return label + " (" + fmt::format("{}", fmt::join(parts, ", ")) + ")";
}

}  // namespace

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

const ParamSpec* FindParam(const std::string& name) {
  static const std::vector<ParamSpec> all = AllParams();
  for (const ParamSpec& spec : all) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::optional<std::vector<Point>> MakePoints(const std::vector<RunSpec>& specs,
                                             std::string* error) {
  std::vector<Point> points;
  for (std::size_t s = 0; s < specs.size(); ++s) {
    const RunSpec& spec = specs[s];
    auto workloads = Select(WorkloadRegistry(), spec.workloads);
    auto engines = Select(EngineRegistry(), spec.engines);
    if (workloads.empty() || engines.empty()) {
      *error = Where(spec, "no workload or engine selected");
      return std::nullopt;
    }
    std::set<std::string> applicable;
    for (const auto* info : workloads) {
      for (const ParamSpec& p : info->params) applicable.insert(p.name);
    }
    for (const auto* info : engines) {
      for (const ParamSpec& p : info->params) applicable.insert(p.name);
    }
    for (const auto& [name, value] : spec.values) {
      if (applicable.count(name) == 0) {
        *error = Where(spec, fmt::format("--{}: does not apply to the selected workloads and "
                                         "engines{}",
                                         name, AppliesTo(name)));
        return std::nullopt;
      }
      if (std::string why = ValidateParam(*FindParam(name), value); !why.empty()) {
        *error = Where(spec, fmt::format("--{}: {}", name, why));
        return std::nullopt;
      }
    }
    std::set<std::string> swept;
    for (const Sweep& sweep : spec.sweeps) {
      const ParamSpec* param = FindParam(sweep.name);
      std::string sweep_error;
      if (param == nullptr || applicable.count(sweep.name) == 0) {
        sweep_error = param == nullptr ? "no workload or engine has this parameter"
                                       : "does not apply to the selected workloads and engines";
      } else if (param->type == ParamType::kFlag) {
        sweep_error = "a flag cannot be swept";
      } else if (!swept.insert(sweep.name).second || spec.values.count(sweep.name)) {
        sweep_error = "is given more than once";
      }
      for (const std::string& value : sweep.values) {
        if (!sweep_error.empty()) break;
        sweep_error = ValidateParam(*param, value);
      }
      if (!sweep_error.empty()) {
        *error = Where(spec, fmt::format("--sweep {}: {}", sweep.name, sweep_error));
        return std::nullopt;
      }
    }
    try {
      for (const auto* workload_info : workloads) {
        for (const auto& point_values : SweepGrid(spec.sweeps)) {
          std::map<std::string, std::string> values = spec.values;
          values.insert(point_values.begin(), point_values.end());
          std::shared_ptr<Workload> workload =
              workload_info->make(ParamsFor(workload_info->params, values));
          for (const auto* engine_info : engines) {
            // A swept parameter neither the workload nor the engine has would only repeat the
            // same point: keep its first value and leave it out of the label.
            std::map<std::string, std::string> relevant;
            bool repeat = false;
            for (const Sweep& sweep : spec.sweeps) {
              auto has = [&](const std::vector<ParamSpec>& params) {
                return std::any_of(params.begin(), params.end(),
                                   [&](const ParamSpec& p) { return p.name == sweep.name; });
              };
              const std::string& value = point_values.at(sweep.name);
              if (has(workload_info->params) || has(engine_info->params)) {
                relevant[sweep.name] = value;
              } else if (value != sweep.values.front()) {
                repeat = true;
              }
            }
            if (repeat) continue;
            Point point;
            point.spec = s;
            point.workload = workload;
            point.engine = engine_info->make(ParamsFor(engine_info->params, values));
            // A workload that cannot run on an engine: an error when both were named, else the
            // pair is left out with a note.
            if (std::string why = CannotRun(*workload, *point.engine); !why.empty()) {
              std::string message = fmt::format("{} cannot run on {}: {}", workload_info->name,
                                                engine_info->name, why);
              if (Named(spec.workloads) && Named(spec.engines)) {
                *error = Where(spec, "--engine: " + message);
                return std::nullopt;
              }
              fmt::print(stderr, "concbench run: skipped: {}\n", Where(spec, message));
              continue;
            }
            point.swept = relevant;
            point.label =
                Label(std::string(workload_info->name), std::string(engine_info->name), relevant);
            points.push_back(std::move(point));
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
