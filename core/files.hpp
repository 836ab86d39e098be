// Results files: written whole or not at all, read back for compare, and saved baselines.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/comparison.hpp"
#include "reports/result.hpp"

namespace concbench {

// Writes `content` to a temporary file beside `path`, then renames it over `path`.
// Returns an empty string on success, else the reason; `path` is untouched on failure.
std::string WriteFileAtomically(const std::string& path, const std::string& content);

// Checks that `path` can be written (its folder exists and accepts a new file) without
// touching `path` itself. Returns an empty string when it can, else the reason.
std::string CheckWritable(const std::string& path);

// The results in the results file at `path`, each with samples of `metric`, or nullopt with
// *error naming the file, where and why.
std::optional<std::vector<Result>> LoadResults(const std::string& path, Metric metric,
                                               std::string* error);

// The file a baseline named `name` lives in, or "" and *why when the name is not usable.
std::string BaselinePath(const std::string& dir, const std::string& name, std::string* why);

}  // namespace concbench
