#include "workloads/spin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

#include "util/os.hpp"

namespace concbench {
namespace {

// One step of a 64-bit linear congruential generator (Knuth's MMIX constants). Each step
// depends on the last, and the empty asm hides the value from the optimiser, so the loop can be
// neither vectorised nor folded into a closed form.
constexpr std::uint64_t kMultiplier = 6364136223846793005ull;
constexpr std::uint64_t kIncrement = 1442695040888963407ull;
constexpr std::uint64_t kStopCheckSteps = 4096;

inline std::uint64_t Step(std::uint64_t x) {
  x = x * kMultiplier + kIncrement;
  asm volatile("" : "+r"(x));
  return x;
}

double MeasureStepsPerSecond() {
  constexpr std::uint64_t kTrialSteps = 1 << 19;  // about 0.5-2 ms per trial
  constexpr int kTrials = 30;
  std::stop_token never;
  std::uint64_t sink = SpinChain(1, kTrialSteps, never);  // warm up caches and clocks
  double best = 0;
  for (int i = 0; i < kTrials; ++i) {
    double before = ThreadCpuSeconds();
    sink ^= SpinChain(sink, kTrialSteps, never);
    double seconds = ThreadCpuSeconds() - before;
    if (seconds > 0) best = std::max(best, static_cast<double>(kTrialSteps) / seconds);
  }
  asm volatile("" : : "r"(sink));
  return best > 0 ? best : 1e8;
}

// The steps a result "<chain> after N steps" says its task ran (N > 0), or nullopt.
std::optional<std::uint64_t> ClaimedSteps(std::string_view result) {
  constexpr std::string_view kAfter = " after ", kSteps = " steps";
  if (result.size() <= 16 + kAfter.size() + kSteps.size() || !result.ends_with(kSteps) ||
      result.substr(16, kAfter.size()) != kAfter) {
    return std::nullopt;
  }
  std::string_view digits = result.substr(16 + kAfter.size());
  digits.remove_suffix(kSteps.size());
  std::uint64_t steps = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), steps);
  if (error != std::errc() || end != digits.data() + digits.size() || steps == 0) {
    return std::nullopt;
  }
  return steps;
}

// At least one step: a grain shorter than a step still does some work.
std::uint64_t StepsFor(double grain_seconds) {
  return std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::llround(grain_seconds * SpinStepsPerSecond())));
}

class SpinWorkload : public Workload {
 public:
  SpinWorkload(std::size_t tasks, Duration grain)
      : tasks_(tasks),
        grain_(grain),
        grain_seconds_(std::chrono::duration<double>(grain).count()),
        steps_(grain.count() == 0 ? 0 : StepsFor(grain_seconds_)) {}

  std::string_view name() const override { return "spin"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return tasks_; }

  // An empty task (grain 0) does nothing and answers "", which allocates nothing. Else the chain's
  // end and its steps: a copy made in another process (mpi's ranks) calibrates its own steps for
  // the grain, and the check verifies the chain of the steps the task ran.
  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    if (steps_ == 0) return {};
    return fmt::format("{:016x} after {} steps", SpinChain(index, steps_, stop), steps_);
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    std::optional<std::uint64_t> claimed = ClaimedSteps(record.result);
    std::uint64_t steps = claimed.value_or(python_steps_.value_or(steps_));
    std::string expected = steps == 0 ? "" : fmt::format("{:016x}", SpinChainJump(index, steps));
    if (claimed) expected += fmt::format(" after {} steps", steps);
    if (record.result == expected) return "";
    return fmt::format("task {} ended its chain at {}, expected {}", index, record.result,
                       expected);
  }

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    return CompletedFloorSeconds(records, std::min(lanes, cores),
                                 [&](std::size_t) { return grain_seconds_; });
  }

  nlohmann::json parameters() const override {
    return {{"tasks", tasks_}, {"grain", FormatDuration(grain_)}};
  }

  // The same chain in CPython, its steps calibrated there (a Python step is ~100 times a C++
  // one); the interpreter says how many it ran per task.
  nlohmann::json python_form() const override {
    return {{"form", "spin"}, {"tasks", tasks_}, {"grain", grain_seconds_}};
  }
  void take_python_state(const nlohmann::json& state) const override {
    if (state.is_object() && state.contains("steps")) {
      python_steps_ = state["steps"].get<std::uint64_t>();
    }
  }
  void begin_run() const override { python_steps_.reset(); }

  // calibration_error: the median task's thread CPU over the grain, minus 1 (0 is exact); only
  // when the tasks' CPU was recorded (--task-cpu) and the grain is not 0.
  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    std::vector<double> cpu;
    for (const TaskRecord& record : records) {
      if (record.status == TaskStatus::kOk && record.cpu_seconds) {
        cpu.push_back(*record.cpu_seconds);
      }
    }
    std::uint64_t steps = python_steps_.value_or(steps_);
    nlohmann::json metrics = {{"iterations_per_task", steps}};
    if (!cpu.empty() && steps > 0) {
      auto middle = cpu.begin() + static_cast<std::ptrdiff_t>(cpu.size() / 2);
      std::nth_element(cpu.begin(), middle, cpu.end());
      metrics["calibration_error"] = *middle / grain_seconds_ - 1;
    }
    return metrics;
  }

 private:
  std::size_t tasks_;
  Duration grain_;
  double grain_seconds_;
  std::uint64_t steps_;
  mutable std::optional<std::uint64_t> python_steps_;  // the last run's, when it ran in Python
};

}  // namespace

double SpinStepsPerSecond() {
  static const double steps_per_second = MeasureStepsPerSecond();
  return steps_per_second;
}

std::uint64_t SpinChain(std::uint64_t seed, std::uint64_t steps, const std::stop_token& stop) {
  std::uint64_t x = seed;
  while (steps > 0) {
    std::uint64_t chunk = std::min(steps, kStopCheckSteps);
    for (std::uint64_t i = 0; i < chunk; ++i) x = Step(x);
    steps -= chunk;
    if (steps > 0 && stop.stop_requested()) throw TaskCancelled();
  }
  return x;
}

std::uint64_t SpinChainJump(std::uint64_t seed, std::uint64_t steps) {
  // Composes the affine map x -> a x + c with itself by squaring (Brown, "Random number
  // generation with arbitrary strides", 1994).
  std::uint64_t acc_mult = 1, acc_plus = 0;
  std::uint64_t cur_mult = kMultiplier, cur_plus = kIncrement;
  for (; steps > 0; steps >>= 1) {
    if (steps & 1) {
      acc_mult *= cur_mult;
      acc_plus = acc_plus * cur_mult + cur_plus;
    }
    cur_plus = (cur_mult + 1) * cur_plus;
    cur_mult *= cur_mult;
  }
  return acc_mult * seed + acc_plus;
}

std::vector<ParamSpec> SpinParams() {
  return {
      {"tasks", ParamType::kCount, "10", "number of tasks"},
      {"grain", ParamType::kDurationOrZero, "1ms",
       "each task's CPU time (units s, ms, us); 0: empty tasks, the engine's own cost alone"},
  };
}

std::unique_ptr<Workload> MakeSpinWorkload(const Params& params) {
  std::uint64_t tasks = params.count("tasks");
  if (tasks > 10'000'000) throw ParamError("--tasks: at most 10000000");
  return std::make_unique<SpinWorkload>(static_cast<std::size_t>(tasks),
                                        params.duration_or_zero("grain"));
}

}  // namespace concbench
