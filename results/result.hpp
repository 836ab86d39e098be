// Plain result data: what one (workload, engine) pair measured, and where it was measured.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "concbench/task_record.hpp"

namespace concbench {

// Summary statistics of a sample, in the sample's unit.
struct Summary {
  double mean = 0;
  double median = 0;
  double stddev = 0;  // sample standard deviation (n - 1); 0 for a single value
  double min = 0;
  double max = 0;
  double mad = 0;                            // median absolute deviation from the median (unscaled)
  double p5 = 0, p25 = 0, p75 = 0, p95 = 0;  // percentiles, linear interpolation
  double cv = 0;                             // coefficient of variation: stddev / mean
  double median_ci_low = 0;                  // 95% bootstrap confidence interval of the median
  double median_ci_high = 0;
  std::size_t outliers = 0;  // values with a modified Z-score above 3.5
};

// A result's speed against the reference result: reference median / this median.
struct Relative {
  std::string reference;   // the reference's engine
  double ratio = 0;        // above 1: faster than the reference
  double uncertainty = 0;  // propagated from both samples' standard deviations
};

struct TaskCounts {
  std::size_t total = 0;  // tasks per repetition times measured repetitions
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::size_t cancelled = 0;  // started, then told to stop
  std::size_t pending = 0;    // never started: dropped by a stop or a deadline
};

// One task of a run, in seconds from the run's start (as the engine was asked to run).
struct TaskSpan {
  std::size_t task = 0;
  double start = 0;  // 0 with status kNotRun
  double end = 0;
  long worker = 0;  // OS thread id or worker process id
  TaskStatus status = TaskStatus::kNotRun;
  long step = -1;   // the task's step and point in a --pattern graph; -1 outside one
  long point = -1;
};

// Percentiles of per-task latencies in seconds (linear interpolation between closest ranks).
struct LatencySummary {
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
};

// What the commands a run's tasks started used (the exec workload's), from wait4: apart from the
// harness's own user_seconds, system_seconds and peak_rss_bytes.
struct CommandsUsage {
  double user_seconds = 0;  // per repetition (mean)
  double system_seconds = 0;
  long peak_rss_bytes = 0;  // the largest peak of one command, over every repetition
  double processes = 0;     // commands waited for, per repetition (mean)
};

// Where and how the results were measured.
struct Context {
  std::string date;  // ISO 8601, UTC
  std::string host;
  std::string os;
  std::string kernel;
  std::string cpu_model;
  unsigned logical_cpus = 0;
  std::string compiler;
  std::string build_type;
  std::string version;
  std::string git_commit;  // empty when unknown
  std::string command_line;
  // The MPI world the results were measured in (library, ranks, hosts, clock offsets), or null.
  nlohmann::json mpi;
};

struct Result {
  std::string run;  // the suite run's or --name's name; empty when none
  nlohmann::json sweep = nlohmann::json::object();  // the swept parameters' values at this point
  std::string workload;
  std::string engine;
  nlohmann::json workload_parameters;  // every workload parameter, by name
  nlohmann::json engine_parameters;    // every engine parameter, by name
  // The parameters the user set or swept (a suite's "parameters" and sweeps, the command line's
  // options and --sweep), by option name (fail-rate for fail_rate); names and labels show only
  // these, so a default (workers = the number of cores) never enters a name. nullopt when
  // unknown (a result read back): then all of them.
  std::optional<std::set<std::string>> given_parameters;

  std::vector<double> times;  // wall seconds of each measured repetition
  // Of each measured repetition: 0 when it was verified on its own (no engine error, some task
  // completed, every completed task passed its check, none failed, was cancelled or did not
  // start except as --timeout or --return-when asked), else 1. Empty for a result read back.
  std::vector<int> exit_codes;
  Summary wall;                        // of `times`
  std::vector<double> user_times;      // user CPU seconds of each repetition, helpers included
  std::vector<double> system_times;    // system CPU seconds of each repetition
  std::vector<long> peak_rss_samples;  // peak RSS bytes of each repetition
  Summary cpu;  // of user + system CPU seconds per repetition (a result read back: all zeros)

  double user_seconds = 0;  // CPU per repetition (mean), helper processes included
  double system_seconds = 0;
  long peak_rss_bytes = 0;        // the largest of any repetition, helper processes added
  // How peak_rss_bytes (and peak_rss_samples) were measured: "rss" (the harness's peak RSS),
  // "rss-sum" (plus each helper process's peak RSS), "pss" (the peak, sampled during the run, of
  // the harness's proportional set size plus its forked workers': shared pages counted once);
  // "unrecorded" when read from a file written before it was.
  std::string memory_method = "rss";
  long peak_rss_sum_bytes = 0;  // by "rss-sum" whatever memory_method is, the largest repetition
  double voluntary_switches = 0;  // per repetition (mean)
  double involuntary_switches = 0;
  CommandsUsage commands;  // all zeros when the tasks started no command

  TaskCounts tasks;
  double ideal_seconds = 0;  // the physical floor of the completed tasks (median over repetitions)
  // ideal_seconds / wall.median, at most 1; empty when it cannot be defined (no task completed,
  // a workload without a floor), `efficiency_note` saying why.
  std::optional<double> efficiency;
  std::string efficiency_note;
  std::optional<double> speedup;     // sequential's median / this median, same workload and run
  std::optional<Relative> relative;  // against --reference (see FillRelative)
  // Some task completed, and every task completed and passed its check (see Measurement).
  bool verified = false;
  std::string unverified_reason;  // why not verified, in words; empty when verified
  bool incomplete = false;        // fewer repetitions than planned: the run was stopped
  // The engine's own errors first, then notes, then failed tasks and checks (the first few).
  std::vector<std::string> problems;
  std::vector<std::string> warnings;  // about the measurement: noise, outliers, a slow first run

  // The workload's own figures (Workload::end_run): numbers are the median over repetitions,
  // strings the last repetition's.
  nlohmann::json metrics = nlohmann::json::object();
  std::vector<TaskSpan> timeline;  // every task of the last measured repetition, in task order
  // Over the completed tasks of `timeline`: when each started and ended, from the run's start.
  LatencySummary start_delay;
  LatencySummary completion;
  // Where this result was measured, when not where the file's other results were (a merged
  // file's, from shards run on several machines); nullopt: the file's context.
  std::optional<Context> context;
};

// One claim of a suite checked against one result.
struct ExpectationOutcome {
  std::string run;  // the suite run's name
  std::string engine;
  std::string claim;     // the run's claim, in words
  std::string metric;    // e.g. "median", "tasks.pending"
  std::string expected;  // "500 ms ± 15%", "2", "≥ 1.00 s"
  std::string measured;  // "501 ms", "missing" or "no result"
  bool passed = false;
};

}  // namespace concbench
