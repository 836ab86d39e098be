// A results file read back whole: every field WriteJson writes, so that results measured in
// several files (the shards of a suite) can be written again as one, in every format.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "results/result.hpp"

namespace concbench {

// The "context" object of a results file; a field missing or of another type stays empty.
Context ContextFromJson(const nlohmann::json& object);

// Every result of `document` (a results file), as ResultsFromJson checks them, with their
// summaries, resources, task counts, floor, verdict, problems, metrics, latencies, timeline and
// own context as written. The settings land in workload_parameters and, those "engine_settings"
// names, engine_parameters; given_parameters are those the result's "command" names. The CPU summary is made again from the samples. On a malformed
// document returns nullopt and sets *error to where and why.
std::optional<std::vector<Result>> WholeResultsFromJson(const nlohmann::json& document,
                                                        std::string* error);

}  // namespace concbench
