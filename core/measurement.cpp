#include "core/measurement.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <tuple>
#include <utility>

#include "core/verdict.hpp"
#include "results/json.hpp"
#include "results/statistics.hpp"

namespace concbench {
namespace {

// Resets the kernel's peak-RSS mark to the current RSS (Linux 4.0+); false when not allowed.
bool ResetPeakRss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

// The peak RSS since the last reset (VmHWM), or the process's lifetime peak as a fallback.
long PeakRssBytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long kib = 0;
  while (status >> key) {
    if (key == "VmHWM:" && status >> kib) return kib * 1024;
  }
  return SelfUsage().peak_rss_bytes;
}

// Numbers: the median over repetitions; anything else: the last repetition's value.
nlohmann::json CombineMetrics(const std::vector<nlohmann::json>& runs) {
  nlohmann::json combined = nlohmann::json::object();
  std::map<std::string, std::vector<double>> numbers;
  for (const nlohmann::json& run : runs) {
    for (const auto& [key, value] : run.items()) {
      if (value.is_number()) {
        numbers[key].push_back(value.get<double>());
      } else {
        combined[key] = value;
      }
    }
  }
  for (const auto& entry : numbers) {
    const std::string& key = entry.first;
    double median = Median(entry.second);
    bool integral = std::all_of(runs.begin(), runs.end(), [&](const nlohmann::json& run) {
      return !run.contains(key) || run[key].is_number_integer();
    });
    if (integral && median == std::floor(median)) {
      combined[key] = static_cast<long long>(median);
    } else {
      combined[key] = median;
    }
  }
  return combined;
}

// The start delays and completion times of the completed tasks of a run, summarised; one
// vector of the completed tasks' times at a time.
std::pair<LatencySummary, LatencySummary> Latencies(const std::vector<TaskRecord>& records,
                                                    TaskRecord::Clock::time_point started) {
  std::vector<double> seconds;
  auto summarize = [&](TaskRecord::Clock::time_point TaskRecord::*point) {
    seconds.clear();
    for (const TaskRecord& record : records) {
      if (record.status != TaskStatus::kOk) continue;
      seconds.push_back(std::chrono::duration<double>(record.*point - started).count());
    }
    return SummarizeLatencyInPlace(seconds);
  };
  std::size_t completed = static_cast<std::size_t>(
      std::count_if(records.begin(), records.end(),
                    [](const TaskRecord& r) { return r.status == TaskStatus::kOk; }));
  seconds.reserve(completed);
  LatencySummary start_delay = summarize(&TaskRecord::start);
  return {start_delay, summarize(&TaskRecord::end)};
}

}  // namespace

std::vector<TaskSpan> Timeline(const std::vector<TaskRecord>& records,
                               TaskRecord::Clock::time_point started, const TaskGraph* graph) {
  std::vector<TaskSpan> timeline;
  timeline.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const TaskRecord& record = records[i];
    TaskSpan span{.task = i, .worker = record.worker, .status = record.status};
    std::size_t step = 0;
    std::size_t point = 0;
    if (graph != nullptr && graph->place(i, &step, &point)) {
      span.step = static_cast<long>(step);
      span.point = static_cast<long>(point);
    }
    if (record.status != TaskStatus::kNotRun) {
      span.start = std::chrono::duration<double>(record.start - started).count();
      span.end = std::chrono::duration<double>(record.end - started).count();
    }
    timeline.push_back(span);
  }
  return timeline;
}

Measurement::Measurement(const Workload& workload, Engine& engine, unsigned cores,
                         bool whole_timeline)
    : workload_(workload), engine_(engine), cores_(cores), whole_timeline_(whole_timeline) {
  result_.workload = workload.name();
  result_.engine = engine.name();
  result_.workload_parameters = workload.parameters();
  result_.engine_parameters = engine.parameters();
  result_.verified = true;
}

bool Measurement::Step(PointStep step, const std::stop_token& stop) {
  std::string why = workload_.at_point_step(step, stop);
  if (stop.stop_requested()) return false;
  if (why.empty()) return true;
  failure_ = std::move(why);
  if (step != PointStep::kCleanup) finish(stop);
  return false;
}

bool Measurement::BeforeRun(const std::stop_token& stop) {
  if (!failure_.empty()) return false;
  if (!set_up_ && warmups_ == 0 && result_.times.empty()) {
    if (!Step(PointStep::kSetup, stop)) return false;
    set_up_ = true;
  }
  return Step(PointStep::kPrepare, stop);
}

bool Measurement::finish(std::stop_token stop) {
  if (!set_up_) return !stop.stop_requested();
  set_up_ = false;
  std::string why = workload_.at_point_step(PointStep::kCleanup, stop);
  if (stop.stop_requested()) return false;
  if (!why.empty()) failure_ = failure_.empty() ? why : failure_ + "; then " + why;
  return true;
}

bool Measurement::warmup(std::stop_token stop) {
  if (!BeforeRun(stop)) return !stop.stop_requested();
  workload_.begin_run();
  engine_.prepare(workload_, /*caller_concludes=*/true);
  EngineRun run = engine_.run(workload_, stop);
  engine_.conclude(run);
  if (stop.stop_requested()) return false;
  workload_.end_run(run.records);
  ++warmups_;
  return Step(PointStep::kConclude, stop) || !stop.stop_requested();
}

bool Measurement::repeat(std::stop_token stop) {
  if (!BeforeRun(stop)) return !stop.stop_requested();
  workload_.begin_run();
  engine_.prepare(workload_, /*caller_concludes=*/true);
  // Hand freed heap back to the OS first, so that the peak starts from what is in use (memory
  // freed by other points, interleaved with this one, would otherwise count here).
  ::malloc_trim(0);
  bool peak_reset = ResetPeakRss();
  ResourceUsage before = SelfUsage();
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine_.run(workload_, stop);
  auto finished = std::chrono::steady_clock::now();
  ResourceUsage after = SelfUsage();
  // Untimed, its CPU left out as the start's was: the process engine's workers end here.
  engine_.conclude(run);
  if (stop.stop_requested()) return false;

  result_.times.push_back(std::chrono::duration<double>(finished - started).count());
  // The sampler's own CPU (run.measuring) comes out; the clocks tick in different steps, so
  // the difference is kept at 0 or more.
  double user = std::max(0.0, after.user_seconds - before.user_seconds -
                                  run.measuring.user_seconds + run.children.user_seconds);
  double system = std::max(0.0, after.system_seconds - before.system_seconds -
                                    run.measuring.system_seconds + run.children.system_seconds);
  result_.user_times.push_back(user);
  result_.system_times.push_back(system);
  usage_.user_seconds += user;
  usage_.system_seconds += system;
  usage_.voluntary_switches += after.voluntary_switches - before.voluntary_switches -
                               run.measuring.voluntary_switches + run.children.voluntary_switches;
  usage_.involuntary_switches += after.involuntary_switches - before.involuntary_switches -
                                 run.measuring.involuntary_switches +
                                 run.children.involuntary_switches;
  RecordPeak(run, peak_reset);
  ideals_.push_back(
      EarlyEndFloor(run, engine_.limits(),
                    workload_.ideal_seconds(run.records, engine_.lanes(workload_), cores_)));
  nlohmann::json metrics = workload_.end_run(run.records);
  for (const auto& [name, value] : run.metrics.items()) metrics[name] = value;
  metrics_.push_back(std::move(metrics));
  for (const ProcessUsage& commands : run.commands) {
    commands_.user_seconds += commands.user_seconds;
    commands_.system_seconds += commands.system_seconds;
    commands_.processes += commands.processes;
    commands_.peak_rss_bytes = std::max(commands_.peak_rss_bytes, commands.peak_rss_bytes);
  }
  // The previous repetition's spans go before this one's are made.
  std::vector<TaskSpan>().swap(timeline_);
  if (whole_timeline_ || run.records.size() <= kMaxTimelineTasks) {
    timeline_ = Timeline(run.records, started, workload_.graph());
  }
  std::tie(start_delay_, completion_) = Latencies(run.records, started);
  bool passed = Tally(workload_, run, engine_.limits(), result_, problems_);
  if (!Step(PointStep::kConclude, stop)) {
    if (stop.stop_requested()) return false;
    passed = false;
  }
  result_.exit_codes.push_back(passed ? 0 : 1);
  return true;
}

void Measurement::RecordPeak(const EngineRun& run, bool peak_reset) {
  long rss_sum = PeakRssBytes() + run.children.peak_rss_bytes;
  long peak = run.peak_pss_bytes >= 0 ? run.peak_pss_bytes : rss_sum;
  std::string_view method = run.peak_pss_bytes >= 0           ? "pss"
                            : run.children.peak_rss_bytes > 0 ? "rss-sum"
                                                              : "rss";
  pss_unreadable_ = pss_unreadable_ || run.pss_unreadable;
  // A result is "pss" only when every repetition was measured so.
  if (result_.peak_rss_samples.empty() || method != "pss") result_.memory_method = method;
  result_.peak_rss_samples.push_back(peak);
  result_.peak_rss_bytes = std::max(result_.peak_rss_bytes, peak);
  result_.peak_rss_sum_bytes = std::max(result_.peak_rss_sum_bytes, rss_sum);
  if (!peak_reset && method != "pss") {
    AddNote(problems_, Note::kPeakRssNotReset,
            "note: peak RSS could not be reset; it is the process's lifetime peak");
  }
}

Result Measurement::result() const {
  Result result = result_;
  double reps = static_cast<double>(std::max<std::size_t>(1, result.times.size()));
  result.wall = Summarize(result.times);
  std::vector<double> cpu;
  for (std::size_t i = 0; i < result.user_times.size() && i < result.system_times.size(); ++i) {
    cpu.push_back(result.user_times[i] + result.system_times[i]);
  }
  result.cpu = Summarize(cpu);
  result.user_seconds = usage_.user_seconds / reps;
  result.system_seconds = usage_.system_seconds / reps;
  result.voluntary_switches = static_cast<double>(usage_.voluntary_switches) / reps;
  result.involuntary_switches = static_cast<double>(usage_.involuntary_switches) / reps;
  result.commands = {commands_.user_seconds / reps, commands_.system_seconds / reps,
                     commands_.peak_rss_bytes, commands_.processes / reps};
  result.ideal_seconds = Median(ideals_);
  result.metrics = CombineMetrics(metrics_);
  result.timeline = timeline_;
  result.start_delay = start_delay_;
  result.completion = completion_;
  Conclude(problems_, result);
  if (!failure_.empty()) {  // the point's own failure comes first
    result.problems.insert(result.problems.begin(), failure_);
    result.verified = false;
    result.unverified_reason = failure_;
  }
  result.warnings = MeasurementWarnings(result, warmups_);
  if (pss_unreadable_) {
    result.warnings.push_back(
        "peak memory is the harness's peak RSS plus each worker's (/proc/PID/smaps_rollup could "
        "not be read): pages the workers share with the harness count once per worker");
  }
  if (std::string warning = FillEfficiency(result); !warning.empty()) {
    result.warnings.push_back(std::move(warning));
  }
  return result;
}

std::optional<Result> MeasurePair(const Workload& workload, Engine& engine,
                                  const MeasureOptions& options, std::stop_token stop) {
  Measurement measurement(workload, engine, options.cores);
  for (unsigned i = 0; i < options.warmup; ++i) {
    if (options.progress) options.progress(fmt::format("warmup {}/{}", i + 1, options.warmup));
    if (!measurement.warmup(stop)) return std::nullopt;
    if (!measurement.failed().empty()) return measurement.result();
  }
  for (unsigned i = 0; i < options.repetitions; ++i) {
    if (options.progress) {
      options.progress(fmt::format("repetition {}/{}", i + 1, options.repetitions));
    }
    if (!measurement.repeat(stop)) return std::nullopt;
    if (!measurement.failed().empty()) return measurement.result();
  }
  if (!measurement.finish(stop)) return std::nullopt;
  return measurement.result();
}

}  // namespace concbench
