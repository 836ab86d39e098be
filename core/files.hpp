// Results files: written whole or not at all, read back for compare, and saved baselines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/comparison.hpp"
#include "results/result.hpp"

namespace concbench {

// Writes `content` to `path`. A regular file or a new path is replaced atomically (a temporary
// file beside it, renamed over it; untouched on failure); a symlink's target is replaced so and
// the link stays; a character device (/dev/null), a FIFO or the file that is our own stdout is
// written through. Returns "" on success, else the reason naming `path` (an empty path, a
// directory, a FIFO nobody reads, ENOSPC, ...).
std::string WriteOutputFile(const std::string& path, const std::string& content);

// True when WriteOutputFile writes `path` through (a character device, a FIFO, our own stdout):
// a reader sees each write, so such a path is written once, at the end.
bool WritesThrough(const std::string& path);

// What a write to `path` lands on, so that two outputs can be told apart: "fd:1" for our own
// stdout ("-", /dev/stdout, the file stdout is redirected to), the device and inode of an
// existing file (the same through a symlink or a hard link), the absolute, normal path of a file
// not made yet; "" for a character device that is not stdout (/dev/null: a sink, written twice
// without loss) or a path that cannot be resolved (CheckWritable names why).
std::string OutputIdentity(const std::string& path);

// Checks that WriteOutputFile(path, ...) can write (a folder that accepts a new file, a device
// open for writing) without touching `path` itself. Returns "" when it can, else the reason.
std::string CheckWritable(const std::string& path);

// The results in `text` (a results file's contents, `name` in errors), each with samples of
// `metric`, or nullopt with *error naming the file, where and why. Never throws.
std::optional<std::vector<Result>> ResultsFromText(std::string_view text, const std::string& name,
                                                   Metric metric, std::string* error);

// ResultsFromText of the file at `path`.
std::optional<std::vector<Result>> LoadResults(const std::string& path, Metric metric,
                                               std::string* error);

// The file a baseline named `name` lives in, or "" and *why when the name is not usable.
std::string BaselinePath(const std::string& dir, const std::string& name, std::string* why);

}  // namespace concbench
