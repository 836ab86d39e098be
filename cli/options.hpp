// CLI11 helpers shared by the subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "concbench/params.hpp"

namespace concbench {

// The names of a registry's entries, in registry order, then the names of its groups.
std::vector<std::string> Names(const auto& registry) {
  std::vector<std::string> names;
  for (const auto& info : registry) names.emplace_back(info.name);
  for (const auto& info : registry) {
    if constexpr (requires { info.group; }) {
      if (!info.group.empty() && std::find(names.begin(), names.end(), info.group) == names.end()) {
        names.emplace_back(info.group);
      }
    }
  }
  return names;
}

// Accepts one of `valid` (or "all" when `allow_all`); suggests the closest name otherwise.
CLI::Validator NameValidator(const std::string& kind, const std::vector<std::string>& valid,
                             bool allow_all);

// Accepts a non-empty value: for options that name a file or a folder.
CLI::Validator NonEmptyPath();

// Accepts a finite number: for floating-point options, before their range (a range lets nan
// through).
CLI::Validator FiniteNumber();

// Accepts a value of parameter type `type` ("1s", "10,20"), named `type_name` in help.
CLI::Validator ParamValidator(ParamType type);
// Accepts a value of `spec`, within its range or choices.
CLI::Validator ParamValidator(const ParamSpec& spec);

// Every workload and engine parameter as an option, once each, with each plugin's default in
// its help where they differ.
struct ParamOptions {
  std::map<std::string, std::string> values;
  std::map<std::string, bool> flags;
  std::map<std::string, std::vector<std::string>> lists;  // repeatable (kTextList) options
  std::map<std::string, CLI::Option*> options;            // to tell given from default

  // The parameters given on the command line, as text ("true" or "false" for flags).
  std::map<std::string, std::string> Given() const;
};
// Throws ParamError when a parameter has the name of one of `app`'s own options (a registered
// workload's may).
void AddParamOptions(CLI::App* app, ParamOptions& params);

}  // namespace concbench
