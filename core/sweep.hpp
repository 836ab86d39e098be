// `--sweep NAME=SPEC`: a parameter taking several values, one result per value (a grid when
// several parameters are swept).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

// The most values one sweep, and the most points all sweeps of a run together, may have.
inline constexpr std::size_t kMaxSweepValues = 10000;

struct Sweep {
  std::string name;                 // the parameter, without dashes
  std::vector<std::string> values;  // as they would be given on the command line
};

// Parses "NAME=SPEC". SPEC is a list ("10,100,1000" or "1ms,5ms"), a geometric range
// ("10..100000:x10", "1us..10ms:x2") or a linear one ("1..8:+1", "0.5s..2s:+0.5s"); ranges
// include both ends when the step lands on the end. Bounds and steps must be finite and advance,
// and a sweep has at most kMaxSweepValues values. Returns nullopt and sets *why when malformed;
// never throws, never loops beyond kMaxSweepValues values.
std::optional<Sweep> ParseSweep(std::string_view text, std::string* why);

// "" when the grid of `sweeps` has at most kMaxSweepValues points, else the reason. Counts
// without building the grid.
std::string CheckGridSize(const std::vector<Sweep>& sweeps);

// True when `name` is a placeholder that `values` define with --var NAME=VALUE (the exec
// workload's): a sweep over it sets the placeholder, before any parameter of the same name.
bool IsVarSweep(const std::map<std::string, std::string>& values, const std::string& name);

// Every combination of the sweeps' values, the first sweep varying slowest; one empty
// combination when there are no sweeps.
std::vector<std::map<std::string, std::string>> SweepGrid(const std::vector<Sweep>& sweeps);

}  // namespace concbench
