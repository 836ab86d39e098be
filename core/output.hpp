// Results files: written whole or not at all.
#pragma once

#include <string>

namespace concbench {

// Writes `content` to a temporary file beside `path`, then renames it over `path`.
// Returns an empty string on success, else the reason; `path` is untouched on failure.
std::string WriteFileAtomically(const std::string& path, const std::string& content);

// Checks that `path` can be written (its folder exists and accepts a new file) without
// touching `path` itself. Returns an empty string when it can, else the reason.
std::string CheckWritable(const std::string& path);

}  // namespace concbench
