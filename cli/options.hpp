// CLI11 helpers shared by the subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "workloads/params.hpp"

namespace concbench {

// The names of a registry's entries, in registry order.
std::vector<std::string> Names(const auto& registry) {
  std::vector<std::string> names;
  for (const auto& info : registry) names.emplace_back(info.name);
  return names;
}

// Accepts one of `valid` (or "all" when `allow_all`); suggests the closest name otherwise.
CLI::Validator NameValidator(std::string kind, std::vector<std::string> valid, bool allow_all);

// Accepts a value of parameter type `type` ("1s", "10,20"), named `type_name` in help.
CLI::Validator ParamValidator(ParamType type);
// Accepts a value of `spec`, within its range or choices.
CLI::Validator ParamValidator(const ParamSpec& spec);

}  // namespace concbench
