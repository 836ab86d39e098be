// JSON that users hand over (results files, baselines, suites): nesting and numbers bounded
// before the document is built, and errors that name the file and the place.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace concbench {

// Arrays and objects nested deeper than this are refused.
inline constexpr std::size_t kMaxJsonDepth = 256;

// Parses `text`, named `name` (a file's path) in errors. Refuses invalid JSON, nesting deeper
// than kMaxJsonDepth and numbers beyond a double: returns nullopt and sets *error to
// "NAME: line L, column C: reason" (or "NAME: not valid JSON: ..."). Never throws.
std::optional<nlohmann::json> ParseJsonText(std::string_view text, const std::string& name,
                                            std::string* error);

// Files larger than this are refused.
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{64} << 20;

// The whole file at `path`, or nullopt with *error "PATH: cannot be read: reason" (or "PATH:
// larger than 64 MiB").
std::optional<std::string> ReadTextFile(const std::string& path, std::string* error);

}  // namespace concbench
