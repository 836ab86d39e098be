#include "core/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "concbench/workload_registry.hpp"
#include "engines/registry.hpp"

namespace concbench {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // d[i][j]: the distance between a's first i characters and b's first j.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  std::iota(d[0].begin(), d[0].end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);  // two neighbours swapped
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string DidYouMean(std::string_view given, const std::vector<std::string>& valid) {
  auto closest = std::min_element(valid.begin(), valid.end(), [&](const auto& x, const auto& y) {
    return EditDistance(given, x) < EditDistance(given, y);
  });
  // Suggest only near misses: at most a third of the name wrong.
  if (closest != valid.end() &&
      EditDistance(given, *closest) <= std::max<std::size_t>(1, closest->size() / 3)) {
    return fmt::format(" (did you mean '{}'?)", *closest);
  }
  return "";
}

const ParamSpec* FindParam(const std::string& name) {
  // The registries themselves, not a copy made once: workloads registered after a first call
  // (by a program of its own, or a test) have their parameters found too.
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    for (const ParamSpec& spec : info.params) {
      if (spec.name == name) return &spec;
    }
  }
  for (const EngineInfo& info : EngineRegistry()) {
    for (const ParamSpec& spec : info.params) {
      if (spec.name == name) return &spec;
    }
  }
  return nullptr;
}

std::string UnknownParamReason(const std::string& name) {
  std::vector<std::string> names;
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    for (const ParamSpec& spec : info.params) names.push_back(spec.name);
  }
  for (const EngineInfo& info : EngineRegistry()) {
    for (const ParamSpec& spec : info.params) names.push_back(spec.name);
  }
  return "no workload or engine has this parameter" + DidYouMean(name, names);
}

std::string UnknownNameMessage(std::string_view kind, std::string_view given,
                               const std::vector<std::string>& valid) {
  return fmt::format("unknown {} '{}'{}; valid: {}", kind, given, DidYouMean(given, valid),
                     fmt::join(valid, ", "));
}

}  // namespace concbench
