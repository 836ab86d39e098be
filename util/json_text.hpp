// JSON as text that never throws: a string that is not UTF-8 (a command, a path or a variable
// given as raw bytes) has each invalid byte replaced by U+FFFD, as the results file documents.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace concbench {

// `value` as JSON text, indented by `indent` spaces (-1: on one line).
inline std::string DumpJson(const nlohmann::json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace concbench
