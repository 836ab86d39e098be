#include "engines/recipe.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "concbench/workload_registry.hpp"

namespace concbench {

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

std::string RecipeText(const WorkloadRecipe& recipe) {
  std::vector<std::uint8_t> bytes =
      nlohmann::json::to_cbor({{"workload", recipe.workload}, {"values", recipe.values}});
  return std::string(bytes.begin(), bytes.end());
}

std::unique_ptr<Workload> MakeFromRecipe(std::string_view text, std::string* error) {
  try {
    nlohmann::json recipe = nlohmann::json::from_cbor(text);
    std::string name = recipe.at("workload").get<std::string>();
    const WorkloadInfo* info = FindWorkload(name);
    if (info == nullptr) {
      *error = fmt::format("no workload named {} in this program", name);
      return nullptr;
    }
    auto values = recipe.at("values").get<std::map<std::string, std::string>>();
    return info->make(ParamsFor(info->params, values));
  } catch (const std::exception& e) {
    *error = e.what();
    return nullptr;
  }
}

}  // namespace concbench
