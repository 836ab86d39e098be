#include "cli/options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "cli/help.hpp"
#include "core/names.hpp"
#include "core/plan.hpp"

namespace concbench {
namespace {

std::string TypeName(ParamType type) {
  switch (type) {
    case ParamType::kCount:
    case ParamType::kUInt64:
      return "N";
    case ParamType::kUInt64List:
      return "N,N,...";
    case ParamType::kDuration:
    case ParamType::kDurationOrZero:
      return "DURATION";
    case ParamType::kDurationList:
      return "DURATION,...";
    case ParamType::kFlag:
      return "";
    case ParamType::kWhole:
      return "N";
    case ParamType::kIndexList:
      return "I,I,...";
    case ParamType::kRate:
      return "SHARE";
    case ParamType::kChoice:
      return "WORD";
    case ParamType::kText:
      return "TEXT";
    case ParamType::kTextList:
      return "TEXT";
    case ParamType::kBytes:
      return "BYTES";
  }
  return "";
}

// " [default: 10]", or per plugin where they differ: " [default: 10; http, file: 20]".
std::string DefaultText(const ParamSpec& spec) {
  if (spec.type == ParamType::kFlag) return "";
  std::vector<std::string> parts;
  for (const ParamDefault& d : ParamDefaults(spec.name)) {
    if (d.value.empty()) continue;
    parts.push_back(parts.empty() ? d.value
                                  : fmt::format("{}: {}", fmt::join(d.plugins, ", "), d.value));
  }
  if (parts.empty()) return "";
  return fmt::format(" [default: {}]", fmt::join(parts, "; "));
}

}  // namespace

CLI::Validator NameValidator(const std::string& kind, const std::vector<std::string>& valid,
                             bool allow_all) {
  return CLI::Validator(
      [kind, valid, allow_all](std::string& value) -> std::string {
        if ((allow_all && value == "all") ||
            std::find(valid.begin(), valid.end(), value) != valid.end()) {
          return "";
        }
        return UnknownNameMessage(kind, value, valid);
      },
      "NAME");
}

CLI::Validator NonEmptyPath() {
  return CLI::Validator(
      [](std::string& value) -> std::string { return value.empty() ? "an empty path" : ""; }, "");
}

CLI::Validator FiniteNumber() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        double number = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec == std::errc() && end == value.data() + value.size() && !std::isfinite(number)) {
          return fmt::format("'{}' is not a finite number", value);
        }
        return "";  // a finite number, or not a number at all (the option's parser says so)
      },
      "");
}

CLI::Validator ParamValidator(ParamType type) {
  return CLI::Validator([type](std::string& value) { return ValidateParam(type, value); },
                        TypeName(type));
}

CLI::Validator ParamValidator(const ParamSpec& spec) {
  return CLI::Validator([spec](std::string& value) { return ValidateParam(spec, value); },
                        TypeName(spec.type));
}

void AddParamOptions(CLI::App* app, ParamOptions& params) {
  for (const ParamSpec& spec : AllParams()) {
    if (app->get_option_no_throw("--" + spec.name) != nullptr) {
      std::vector<std::string> owners;
      for (const ParamDefault& d : ParamDefaults(spec.name)) {
        owners.insert(owners.end(), d.plugins.begin(), d.plugins.end());
      }
      throw ParamError(
          fmt::format("--{}: a parameter of {} has the name of an option of {}; "
                      "rename the parameter",
                      spec.name, fmt::join(owners, ", "), app->get_name()));
    }
    std::string help = spec.help + DefaultText(spec);
    CLI::Option* option;
    if (spec.type == ParamType::kFlag) {
      // hyperfine's short form, where the command has no -i of its own.
      bool short_i = spec.name == "ignore-failure" && app->get_option_no_throw("-i") == nullptr;
      option = app->add_flag((short_i ? "-i,--" : "--") + spec.name, params.flags[spec.name], help);
    } else if (spec.type == ParamType::kTextList) {
      option = app->add_option("--" + spec.name, params.lists[spec.name], help + " (repeatable)")
                   ->check(ParamValidator(ParamType::kText));
    } else {
      option = app->add_option("--" + spec.name, params.values[spec.name], help)
                   ->check(ParamValidator(spec));
    }
    option->group(ParamGroup(spec.name));
    params.options[spec.name] = option;
  }
}

std::map<std::string, std::string> ParamOptions::Given() const {
  std::map<std::string, std::string> given;
  for (const auto& [name, option] : options) {
    if (option->count() == 0) continue;
    if (auto flag = flags.find(name); flag != flags.end()) {
      given[name] = flag->second ? "true" : "false";
    } else if (auto list = lists.find(name); list != lists.end()) {
      given[name] = fmt::format("{}", fmt::join(list->second, "\n"));
    } else {
      given[name] = values.at(name);
    }
  }
  return given;
}

}  // namespace concbench
