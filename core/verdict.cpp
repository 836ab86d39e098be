#include "core/verdict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <utility>

#include "util/format.hpp"

namespace concbench {
namespace {

constexpr std::size_t kMaxProblems = 5;
// Efficiency at most this far above 1 is the clocks' rounding; further, the floor is wrong.
constexpr double kRoundingAboveOne = 1.01;

void EngineError(ProblemLog& log, const std::string& error) {
  if (std::find(log.engine.begin(), log.engine.end(), error) != log.engine.end()) return;
  ++log.engine_seen;
  if (log.engine.size() < kMaxProblems) log.engine.push_back(error);
}

}  // namespace

void AddNote(ProblemLog& log, Note note, std::string text) {
  if (log.noted.insert(note).second) log.notes.push_back(std::move(text));
}

bool Tally(const Workload& workload, const EngineRun& run, const RunLimits& limits, Result& result,
           ProblemLog& log) {
  std::size_t reported = 0;  // problems of this repetition
  bool ended_early = run.ended_by != EndedBy::kNone;
  if (ended_early) {
    std::string option = run.ended_by == EndedBy::kTimeout
                             ? "--timeout"
                             : fmt::format("--return-when {}", EndedByName(run.ended_by));
    if (log.early_end.empty()) {
      log.early_end = run.ended_by == EndedBy::kTimeout && limits.timeout
                          ? option + " " + FormatDuration(*limits.timeout)
                          : option;
    }
    AddNote(log, Note::kEndedEarly,
            fmt::format("note: runs ended by {}: unfinished tasks were cancelled or dropped, as "
                        "asked",
                        option));
  }
  if (!run.error.empty()) {
    result.verified = false;
    EngineError(log, run.error);
  }
  ++log.repetitions;
  auto report = [&](std::string what, std::string detail) {
    result.verified = false;
    ++reported;
    if (log.first_task_problem.empty()) {
      log.first_task_problem = detail.empty() ? what : what + ": " + detail;
    }
    auto same = std::find_if(log.tasks.begin(), log.tasks.end(),
                             [&](const auto& p) { return p.what == what && p.detail == detail; });
    if (same == log.tasks.end() && log.tasks.size() < kMaxProblems) {
      same = log.tasks.insert(log.tasks.end(), {std::move(what), std::move(detail), 0, 0});
    }
    if (same == log.tasks.end()) {
      ++log.tasks_left_out;
      log.left_out.insert(std::hash<std::string>{}(what + '\n' + detail));
    } else if (same->last != log.repetitions) {
      ++same->repetitions;
      same->last = log.repetitions;
    }
  };
  // The run's own verdict is listed with its first completed task.
  bool any_completed = std::any_of(run.records.begin(), run.records.end(),
                                   [](const TaskRecord& r) { return r.status == TaskStatus::kOk; });
  std::string run_problem = any_completed ? workload.check_run(run.records) : "";
  for (std::size_t i = 0; i < run.records.size(); ++i) {
    const TaskRecord& record = run.records[i];
    ++result.tasks.total;
    switch (record.status) {
      case TaskStatus::kOk:
        ++result.tasks.completed;
        if (!run_problem.empty()) report("check failed", std::exchange(run_problem, ""));
        if (std::string problem = workload.check(i, record); !problem.empty()) {
          report("check failed", std::move(problem));
        }
        break;
      case TaskStatus::kFailed:
        ++result.tasks.failed;
        report(fmt::format("task {} failed", i), record.result);
        break;
      case TaskStatus::kCancelled:
        ++result.tasks.cancelled;
        if (!ended_early) report(fmt::format("task {} did not complete", i), record.result);
        break;
      case TaskStatus::kNotRun:
        ++result.tasks.pending;
        if (!ended_early) report(fmt::format("task {} did not start", i), "");
        break;
    }
  }
  return run.error.empty() && any_completed && reported == 0;
}

void Conclude(const ProblemLog& log, Result& result) {
  std::vector<std::string>& problems = result.problems;
  problems = log.engine;
  if (log.engine_seen > log.engine.size()) {
    problems.push_back(
        fmt::format("... and {} more engine errors", log.engine_seen - log.engine.size()));
  }
  std::string nothing;
  if (result.tasks.total > 0 && result.tasks.completed == 0) {
    result.verified = false;
    nothing = std::string(kNothingCompleted);
    if (!log.early_end.empty()) {
      bool deadline = log.early_end.starts_with("--timeout");
      nothing +=
          fmt::format(" before the {} ({})", deadline ? "deadline" : "run ended", log.early_end);
    }
    nothing += ": nothing was measured";
    problems.push_back(nothing);
  }
  problems.insert(problems.end(), log.notes.begin(), log.notes.end());
  for (const ProblemLog::TaskProblem& p : log.tasks) {
    std::string text = p.what;
    if (log.repetitions > 1)
      text += fmt::format(" in {} of {} repetitions", p.repetitions, log.repetitions);
    if (!p.detail.empty()) text += ": " + p.detail;
    problems.push_back(std::move(text));
  }
  if (log.tasks_left_out > 0) {
    std::size_t distinct = log.left_out.size();
    problems.push_back(distinct == log.tasks_left_out
                           ? fmt::format("... and {} more problems", distinct)
                           : fmt::format("... and {} more problems ({} times in all)", distinct,
                                         log.tasks_left_out));
  }
  if (result.verified) return;
  result.unverified_reason = !log.engine.empty() ? log.engine.front()
                             : !nothing.empty()  ? nothing
                                                 : log.first_task_problem;
}

std::string FillEfficiency(Result& result) {
  result.efficiency.reset();
  if (result.tasks.completed == 0) {
    result.efficiency_note = "no task completed";
  } else if (result.ideal_seconds <= 0) {
    result.efficiency_note = result.workload + " has no floor to compare with";
  } else if (result.wall.median <= 0) {
    result.efficiency_note = "no wall time was measured";
  }
  if (!result.efficiency_note.empty()) return "";
  double ratio = result.ideal_seconds / result.wall.median;
  result.efficiency = std::min(1.0, ratio);
  if (ratio <= kRoundingAboveOne) return "";
  return fmt::format(
      "the floor ({}) exceeds the median wall time ({}): efficiency is shown as 100%, but {}'s "
      "floor overestimates this run",
      FormatSeconds(result.ideal_seconds), FormatSeconds(result.wall.median), result.workload);
}

bool OnlyNothingCompleted(const Result& result) {
  return !result.verified && result.tasks.completed == 0 && result.tasks.failed == 0 &&
         !result.incomplete && result.unverified_reason.starts_with(kNothingCompleted);
}

}  // namespace concbench
