// Named, typed parameters shared by workloads and engines.
//
// Every plugin declares its parameters as ParamSpecs; the CLI turns each spec into an option
// and hands the raw strings back as a Params map. Parsing lives here, once, so every option of
// a kind is read and rejected the same way ("--delay: 'x' is not a duration ...").
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

enum class ParamType {
  kCount,           // whole number >= 1
  kUInt64,          // whole number >= 2 (for primes inputs)
  kUInt64List,      // comma-separated kUInt64
  kDuration,        // number with unit s, ms, us or ns; at least 1ns
  kDurationList,    // comma-separated kDuration
  kDurationOrZero,  // a kDuration, or 0 (also 0s, 0ms, 0us, 0ns) for none (spin's empty task)
  kFlag,            // present or absent
  kWhole,           // whole number >= 0
  kIndexList,       // comma-separated kWhole (task indices)
  kRate,            // real number from 0 to 1 (a share of tasks)
  kChoice,          // one of ParamSpec::choices
  kText,            // any non-empty text (a URL, a folder)
  kBytes,           // byte count >= 0, optionally with unit KiB, MiB or GiB (64KiB)
  kTextList,        // repeatable option: non-empty texts, held one per line (K=V pairs)
};

struct ParamSpec {
  std::string name;  // option name without dashes, e.g. "delay"
  ParamType type;
  std::string default_value;  // empty: no default (the parameter is optional)
  std::string help;
  std::vector<std::string> choices = {};  // the accepted values of a kChoice
};

// Thrown by Params getters and parsers on malformed input; what() names the option.
class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Duration = std::chrono::nanoseconds;

// Parses "2s", "150ms", "20us", "0.5s". Returns nullopt and sets *why when malformed.
std::optional<Duration> ParseDuration(std::string_view text, std::string* why);
// The same, also accepting 0, 0s, 0ms and 0us as a zero duration.
std::optional<Duration> ParseDurationOrZero(std::string_view text, std::string* why);
// Formats a duration with the largest unit that keeps it readable ("2s", "150ms", "20us").
std::string FormatDuration(Duration d);
// Parses "65536", "64KiB", "1MiB", "2GiB". Returns nullopt and sets *why when malformed.
std::optional<std::uint64_t> ParseBytes(std::string_view text, std::string* why);
// Validates `text` against `type`; returns an empty string when valid, else the reason.
std::string ValidateParam(ParamType type, std::string_view text);
// The same for a whole spec, so a kChoice is checked against its choices.
std::string ValidateParam(const ParamSpec& spec, std::string_view text);

// Raw values given on the command line (or defaults), keyed by parameter name.
class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  // True when the user gave the parameter, rather than it holding its default.
  bool given(const std::string& name) const { return given_.count(name) != 0; }
  const std::string& raw(const std::string& name) const;
  // Sets a value; `given` marks it as the user's rather than a default.
  void set(const std::string& name, std::string value, bool given = true);

  // Typed getters; throw ParamError naming the option when absent or malformed.
  std::uint64_t count(const std::string& name) const;
  std::uint64_t uint64(const std::string& name) const;
  std::vector<std::uint64_t> uint64_list(const std::string& name) const;
  Duration duration(const std::string& name) const;
  std::vector<Duration> duration_list(const std::string& name) const;
  Duration duration_or_zero(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::uint64_t whole(const std::string& name) const;
  std::vector<std::uint64_t> index_list(const std::string& name) const;
  double rate(const std::string& name) const;
  // The value, which must be one of `choices`.
  const std::string& choice(const std::string& name, const std::vector<std::string>& choices) const;
  const std::string& text(const std::string& name) const;
  std::uint64_t bytes(const std::string& name) const;
  // The values of a kTextList, in the order given; empty when absent.
  std::vector<std::string> text_list(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> given_;
};

}  // namespace concbench
