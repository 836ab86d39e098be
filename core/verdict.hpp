// A measured result's verdict: its problems in order (the engine's own errors first, never
// dropped for task problems), whether it is verified and why not, and its efficiency.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/workload.hpp"
#include "engines/engine.hpp"
#include "results/result.hpp"

namespace concbench {

// What a result's problems may note about its measurement, once each.
enum class Note { kEndedEarly, kPeakRssNotReset };

// How the reason of a result in which no task completed begins (Result::unverified_reason).
inline constexpr std::string_view kNothingCompleted = "no task completed";

// A result's problems by kind, gathered over its repetitions.
struct ProblemLog {
  std::vector<std::string> engine;  // distinct engine errors, in order (the first few)
  std::size_t engine_seen = 0;      // engine errors that repeat none of those kept
  std::vector<std::string> notes;   // about the measurement, each said once
  std::set<Note> noted;
  // A failed task or check, and in how many repetitions it happened.
  struct TaskProblem {
    std::string what;    // "task 3 failed", "check failed", "task 4 did not start"
    std::string detail;  // "connection refused", or ""
    std::size_t repetitions = 0;
    std::size_t last = 0;  // the repetition it was last counted in, from 1
  };
  std::vector<TaskProblem> tasks;  // distinct problems, in order (the first few)
  std::size_t tasks_left_out = 0;  // occurrences of problems beyond those
  std::set<std::size_t> left_out;  // hashes of those problems, to count them once each
  std::size_t repetitions = 0;     // repetitions tallied
  std::string first_task_problem;
  std::string early_end;  // the option that first ended a run early ("--timeout 1us"), or ""
};

// Adds `text` to the log's notes unless `note` was already said.
void AddNote(ProblemLog& log, Note note, std::string text);

// Counts and checks one repetition's records into result.tasks and `log`, clearing
// result.verified on a failure. When the run was ended early by design (--timeout,
// --return-when), its cancelled and pending tasks are expected, not problems; the checks apply
// to completed tasks only. Returns true when this repetition on its own is verified: no engine
// error, some task completed, and none raised a problem.
bool Tally(const Workload& workload, const EngineRun& run, const RunLimits& limits, Result& result,
           ProblemLog& log);

// Sets result.problems from `log` (engine errors, then why nothing was measured, notes, task
// problems), and result.verified and result.unverified_reason: a result in which no task
// completed measured nothing, and is not verified.
void Conclude(const ProblemLog& log, Result& result);

// Sets result.efficiency, ideal_seconds / wall.median at most 1, or result.efficiency_note when
// it cannot be defined (no task completed, no floor). Returns a warning when the floor exceeded
// the median beyond the clocks' rounding (a floor that is wrong for this run), else "".
std::string FillEfficiency(Result& result);

// Whether `result` is unverified only because none of its tasks completed (no task, check or
// engine failed, and every repetition ran): a suite may claim exactly that.
bool OnlyNothingCompleted(const Result& result);

}  // namespace concbench
