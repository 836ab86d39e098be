// The text of a command template: `{name}` placeholders, and words split as a shell would
// without running one.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

// The names of the placeholders in `text`: `{name}` where name is a letter or '_' followed by
// letters, digits and '_'. `{{` and `}}` are literal braces; any other brace is left as is.
std::set<std::string> PlaceholderNames(std::string_view text);

// `text` with each placeholder replaced by values[name], `{{` by `{` and `}}` by `}`. Returns
// nullopt and sets *why when a placeholder has no value.
std::optional<std::string> ExpandPlaceholders(std::string_view text,
                                              const std::map<std::string, std::string>& values,
                                              std::string* why);

// Splits `text` into words as a POSIX shell would, without expansions: blanks separate words,
// '...' keeps its text as is, "..." too except for \" \\ \$ and \`, and a backslash outside
// quotes keeps the next character. Returns nullopt and sets *why on an unterminated quote.
std::optional<std::vector<std::string>> SplitWords(std::string_view text, std::string* why);

}  // namespace concbench
