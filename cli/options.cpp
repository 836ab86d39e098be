#include "cli/options.hpp"

#include <algorithm>

#include "core/names.hpp"

namespace concbench {
namespace {

std::string TypeName(ParamType type) {
  switch (type) {
    case ParamType::kCount: return "N";
    case ParamType::kUInt64: return "N";
    case ParamType::kUInt64List: return "N,N,...";
    case ParamType::kDuration: return "DURATION";
    case ParamType::kDurationList: return "DURATION,...";
    case ParamType::kFlag: return "";
    case ParamType::kWhole: return "N";
    case ParamType::kIndexList: return "I,I,...";
    case ParamType::kRate: return "SHARE";
    case ParamType::kChoice: return "WORD";
    case ParamType::kText: return "TEXT";
    case ParamType::kBytes: return "BYTES";
  }
  return "";
}

}  // namespace

CLI::Validator NameValidator(std::string kind, std::vector<std::string> valid, bool allow_all) {
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

CLI::Validator ParamValidator(ParamType type) {
  return CLI::Validator([type](std::string& value) { return ValidateParam(type, value); },
                        TypeName(type));
}

CLI::Validator ParamValidator(const ParamSpec& spec) {
  return CLI::Validator([spec](std::string& value) { return ValidateParam(spec, value); },
                        TypeName(spec.type));
}

}  // namespace concbench
