// Short names for results, shared by the reporters that need one line per result.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/result.hpp"

namespace concbench {

// A parameter value as short text: lists of more than three items become "[N values]".
std::string ShortValue(const nlohmann::json& value);

// "tasks=10 delay=100ms": the workload's parameters, `separator` between. The engine's own
// settings are apart (EngineSettingsText), so that they never split a workload's groups.
std::string ParameterText(const Result& result, const char* separator = " ");

// "workers=2": the engine's own settings, `separator` between; "" when it has none.
std::string EngineSettingsText(const Result& result, const char* separator = " ");

// "pool (workers=2)", or the engine's name alone when it has no settings.
std::string EngineText(const Result& result);

// "85.0%", or "—" when the result's efficiency cannot be defined (see efficiency_note).
std::string EfficiencyText(const Result& result);

// The parameters the user set or swept (Result::given_parameters), by name; every parameter
// when unknown.
nlohmann::json KeyParameters(const Result& result);

// "[run: ]sleep on asio (tasks=2, delay=10ms)": the workload, the engine and KeyParameters, as
// hyperfine's `command` and a trace's process name.
std::string CommandName(const Result& result);

// A stable, unique name, as google/benchmark names its benchmarks: "workload/engine/name:value/
// ..." with KeyParameters only, so that a default that depends on the machine (workers) keeps
// out of it; a named run (--name, a suite's run) "run/workload/engine" and its sweep point only,
// so that results pair across a change of its parameters. A long list value is named by its
// length and a hash of its items.
std::string BenchmarkName(const Result& result);

}  // namespace concbench
