// A suite's claims checked against results. Claims name figures of a result by the dot path the
// results file uses for them ("median", "tasks.pending", "metrics.final"); the harness reads
// them from the Result itself, not from a reporter's output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan.hpp"
#include "core/verdict.hpp"
#include "results/result.hpp"

namespace concbench {

// Every figure's path, "metrics.NAME" standing for any workload metric.
std::vector<std::string> FigurePaths();

// Whether `path` names a figure (any "metrics.NAME" does).
bool IsFigure(std::string_view path);

// The value of figure `path` in `result` (true/false as 1/0), or nullopt when the result has
// none (no speedup, a metric the workload does not report, a string metric).
std::optional<double> ResultFigure(const Result& result, std::string_view path);

// Verifies each result that is unverified only because none of its tasks completed
// (OnlyNothingCompleted) when its run claims exactly that: an expectation that tasks.completed
// is 0 for its engine (a deadline shorter than every task, measured on purpose). Its reason
// becomes a note. Call before CheckExpectations, so that a claim on "verified" sees it.
void AcceptClaimedNothingCompleted(const std::vector<RunSpec>& specs, std::vector<Result>& results);

// Checks every expectation of `specs` against the results carrying their run's name.
// An expectation no result matches fails ("no result").
std::vector<ExpectationOutcome> CheckExpectations(const std::vector<RunSpec>& specs,
                                                  const std::vector<Result>& results);

}  // namespace concbench
