// The results file: {"schema": "concbench/1", "context": {...}, "results": [...]}.
// Times are in seconds, as hyperfine writes them, and each result has hyperfine's `command`,
// `exit_codes` and `parameters` (the swept values), so that its scripts read the file unchanged;
// concbench's own parameters are under `settings`. The README documents every field.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace concbench {

inline constexpr const char* kJsonSchema = "concbench/1";
// A result's "timeline" is written up to this many tasks, else null (see --trace).
inline constexpr std::size_t kMaxTimelineTasks = 10000;

nlohmann::json ResultToJson(const Result& result);
nlohmann::json ContextToJson(const Context& context);

// Writes the whole document, indented, ending with a newline. The members of `extra` (an
// object, e.g. a suite's expectations) are added at the top level.
void WriteJson(std::ostream& out, const Context& context, const std::vector<Result>& results,
               const nlohmann::json& extra = nlohmann::json::object());

// The suite block of a results document: {"suite": {file, description, time_scale},
// "expectations": [...]}.
nlohmann::json SuiteToJson(const std::string& file, const std::string& description,
                           double time_scale, const std::vector<ExpectationOutcome>& outcomes);

// Reads the results of a document WriteJson wrote: identity (run, workload, engine; the
// parameters, from "settings" or, in a file written before it, "parameters", land in
// workload_parameters, but those "engine_settings" names in engine_parameters), the samples (times, user_times, system_times,
// peak_rss_samples); summaries are left to the caller. On a malformed document returns nullopt and
// sets *error to where and why ("results[2].times: missing").
std::optional<std::vector<Result>> ResultsFromJson(const nlohmann::json& document,
                                                   std::string* error);

}  // namespace concbench
