#include "core/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <new>

#include "engines/registry.hpp"
#include "results/statistics.hpp"
#include "util/format.hpp"

namespace concbench {

Schedule::Schedule(const std::vector<Point>& points, const std::vector<RunSpec>& specs,
                   bool interleave, unsigned cores, bool whole_timelines)
    : interleave_(interleave) {
  for (const Point& point : points) {
    slots_.push_back(
        {&point, &specs.at(point.spec),
         std::make_unique<Measurement>(*point.workload, *point.engine, cores, whole_timelines)});
  }
}

double Schedule::SecondsLeft() const {
  // Points not yet run are assumed to take as long per run as the average of those that ran.
  double seconds = 0, known_seconds = 0;
  unsigned known_runs = 0, unknown_runs = 0;
  for (const Slot& slot : slots_) {
    unsigned planned =
        slot.spec->policy.warmup + (slot.target ? slot.target : slot.spec->policy.min_runs);
    unsigned left = planned > slot.runs ? planned - slot.runs : 0;
    if (slot.runs == 0) {
      unknown_runs += left;
      continue;
    }
    double per_run = slot.seconds / slot.runs;
    seconds += per_run * left;
    known_seconds += slot.seconds;
    known_runs += slot.runs;
  }
  if (unknown_runs > 0) {
    if (known_runs == 0) return -1;
    seconds += known_seconds / known_runs * unknown_runs;
  }
  return seconds;
}

Progress Schedule::Status(const Slot& slot, std::string step) const {
  Progress progress;
  progress.point = static_cast<std::size_t>(&slot - slots_.data()) + 1;
  progress.points = slots_.size();
  progress.label = slot.point->label;
  progress.step = std::move(step);
  progress.started = started_;
  progress.step_started = Progress::Clock::now();
  progress.seconds_left = SecondsLeft();
  progress.engine = slot.point->engine.get();
  progress.tasks = slot.point->workload->task_count();
  return progress;
}

namespace {

// Each result's speedup against the sequential engine of its own language: sequential for the
// C++ engines, py-sequential (Python's own loop) for the Python engines.
void FillLanguageSpeedups(std::vector<Result>& results) {
  FillSpeedups(results, BaselineEngine());
  std::vector<Result> python;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const EngineInfo* info = FindEngine(results[i].engine);
    if (info == nullptr || info->group != "python") continue;
    python.push_back(results[i]);
    at.push_back(i);
  }
  if (python.empty()) return;
  FillSpeedups(python, "py-sequential");
  for (std::size_t k = 0; k < at.size(); ++k) results[at[k]].speedup = python[k].speedup;
}

// "repetition 2/5", or before the first one has fixed the count "repetition 1/5-30".
std::string RepetitionStep(std::size_t number, unsigned target, const RepetitionPolicy& policy) {
  if (target != 0) return fmt::format("repetition {}/{}", number, target);
  unsigned most = policy.max_runs.value_or(policy.min_runs);
  if (most == policy.min_runs) return fmt::format("repetition {}/{}", number, policy.min_runs);
  return fmt::format("repetition {}/{}-{}", number, policy.min_runs, most);
}

}  // namespace

bool Schedule::Run(std::stop_token stop, const std::function<void(const Progress&)>& progress,
                   const std::function<void()>& update) {
  started_ = std::chrono::steady_clock::now();
  auto timed = [](Slot& slot, auto&& body) {
    auto start = std::chrono::steady_clock::now();
    bool ok = body();
    slot.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++slot.runs;
    return ok;
  };
  auto warm = [&](Slot& slot) {
    unsigned warmup = slot.spec->policy.warmup;
    while (slot.warmups_done < warmup && slot.measurement->failed().empty()) {
      progress(Status(slot, fmt::format("warmup {}/{}", slot.warmups_done + 1, warmup)));
      if (!timed(slot, [&] { return slot.measurement->warmup(stop); })) return false;
      ++slot.warmups_done;
    }
    return true;
  };
  // One measured repetition of `slot`; the first one fixes how many it gets. After its last,
  // the point's cleanup.
  auto repeat = [&](Slot& slot) {
    if (slot.done()) return true;
    std::size_t done = slot.measurement->repetitions();
    progress(Status(slot, RepetitionStep(done + 1, slot.target, slot.spec->policy)));
    if (!timed(slot, [&] { return slot.measurement->repeat(stop); })) return false;
    if (slot.target == 0 && !slot.measurement->times().empty())
      slot.target = slot.spec->policy.RunsFor(slot.measurement->times().front());
    return !slot.done() || !slot.measurement->failed().empty() || slot.measurement->finish(stop);
  };

  if (!interleave_) {
    for (Slot& slot : slots_) {
      if (!warm(slot)) return false;
      while (!slot.done()) {
        if (!repeat(slot)) return false;
      }
      update();
    }
    return true;
  }
  // Each point's warmup right before its first repetition, so that a run stopped early keeps
  // every point measured so far; the repetitions after the first take turns.
  for (Slot& slot : slots_) {
    if (!warm(slot) || !repeat(slot)) return false;
    update();
  }
  bool pending = std::any_of(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.done(); });
  while (pending) {
    pending = false;
    for (Slot& slot : slots_) {
      if (slot.done()) continue;
      if (!repeat(slot)) return false;
      pending = pending || !slot.done();
    }
    update();
  }
  return true;
}

std::vector<Result> Schedule::Results() const {
  std::vector<Result> results;
  for (const Slot& slot : slots_) {
    // No target yet: its first repetition did not finish (memory ran out in its bookkeeping),
    // unless a failing step of its own stopped it.
    bool failed = !slot.measurement->failed().empty();
    if (!failed && (slot.measurement->repetitions() == 0 || slot.target == 0)) continue;
    Result result = slot.measurement->result();
    result.run = slot.spec->name;
    for (const auto& [name, value] : slot.point->swept) result.sweep[name] = value;
    result.given_parameters.emplace();
    for (const auto& [name, value] : slot.spec->values) result.given_parameters->insert(name);
    for (const Sweep& sweep : slot.spec->sweeps) result.given_parameters->insert(sweep.name);
    if (failed && (slot.target == 0 || slot.measurement->repetitions() < slot.target)) {
      result.incomplete = true;  // the failing step comes first among its problems
      result.problems.insert(
          result.problems.begin() + 1,
          fmt::format("incomplete: {} of {} repetitions", slot.measurement->repetitions(),
                      slot.target != 0 ? slot.target : slot.spec->policy.min_runs));
    } else if (!slot.done()) {
      std::string incomplete = fmt::format("incomplete: {} of {} repetitions",
                                           slot.measurement->repetitions(), slot.target);
      if (result.verified) result.unverified_reason = incomplete;
      result.verified = false;
      result.incomplete = true;
      result.problems.insert(result.problems.begin(), std::move(incomplete));
    }
    results.push_back(std::move(result));
  }
  return results;
}

bool MeasureAll(Schedule& schedule, const std::string& reference,
                const std::vector<Output>& outputs,
                const std::function<void(const Progress&)>& progress, const Report& report,
                std::vector<Result>& results, std::string* save_error, std::string* failure,
                std::stop_token stop) {
  auto collect = [&] {
    results = schedule.Results();
    FillLanguageSpeedups(results);
    FillRelative(results, reference, BaselineEngine());
  };
  auto last_save = std::chrono::steady_clock::now();
  auto update = [&] {
    auto now = std::chrono::steady_clock::now();
    if (outputs.empty() || !save_error->empty() || now - last_save < std::chrono::seconds(1)) {
      return;
    }
    last_save = now;
    collect();
    *save_error = SaveFiles(outputs, report);
    // Saved: the copies (timelines included) go until the next save or the end of the run.
    std::vector<Result>().swap(results);
  };
  auto status = [&](const Progress& now) {
    if (progress) progress(now);
  };
  bool finished = false;
  try {
    finished = schedule.Run(stop, status, update);
  } catch (const std::bad_alloc&) {  // what the failed run held is freed by now
    *failure = "out of memory while measuring (std::bad_alloc); see ulimit -v";
  }
  collect();
  return finished;
}

}  // namespace concbench
