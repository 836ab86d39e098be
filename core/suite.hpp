// Suites: a JSON file of runs (workload, engines, parameters, sweeps, repetitions and the
// claims to check), run by `concbench run --suite FILE` into one results file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan.hpp"
#include "results/result.hpp"

namespace concbench {

struct Suite {
  std::string path;
  std::string description;
  double time_scale = 1;  // durations in parameters and expectations are multiplied by it
  std::vector<RunSpec> runs;
};

// Reads the suite at `path`. `time_scale` overrides the file's; `defaults` applies where
// neither the file nor its runs set repetitions or warmup. On bad input returns nullopt and
// sets *error, naming the file, the entry and the reason.
// The suite in `text` (a suite file's contents, `path` in errors and in Suite::path), as
// LoadSuite reads it. Never throws.
std::optional<Suite> ParseSuite(std::string_view text, const std::string& path,
                                std::optional<double> time_scale, const RepetitionPolicy& defaults,
                                std::string* error);

std::optional<Suite> LoadSuite(const std::string& path, std::optional<double> time_scale,
                               const RepetitionPolicy& defaults, std::string* error);

}  // namespace concbench
