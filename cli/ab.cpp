#include "cli/ab.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/options.hpp"
#include "core/files.hpp"
#include "reports/registry.hpp"
#include "results/paired_comparison.hpp"
#include "util/format.hpp"
#include "util/os.hpp"
#include "util/spawn.hpp"
#include "workloads/command_text.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;

// Options of `run` that ab sets itself for each round, or that would write the same file in
// every round.
constexpr const char* kOwnOptions[] = {
    "-r",     "--repetitions",   "--min-runs", "--max-runs", "--min-time",
    "--json", "--save-baseline", "--trace",    "--shard"};

// A side of the comparison: its program and its command line's extra words.
struct Side {
  char name;  // 'A' or 'B'
  std::string program;
  std::vector<std::string> extra;
};

// A folder of our own for the rounds' files, removed with everything in it.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (fs::temp_directory_path() / "concbench-ab-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What one side's run of one round gave.
struct RoundRun {
  std::optional<std::vector<Result>> results;
  int exit_status = 0;  // 1: crashed or no results; 2: the command was refused; 130: stopped
  std::string error;    // why there are no results, the run's own output included
};

std::string LastLines(const std::string& path, std::size_t most) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line) && lines.size() < 10000;) lines.push_back(line);
  std::size_t from = lines.size() > most ? lines.size() - most : 0;
  std::string text;
  for (std::size_t i = from; i < lines.size(); ++i) text += "\n  " + lines[i];
  return text;
}

RoundRun RunSide(const Side& side, const AbConfig& config, const std::string& folder,
                 unsigned round, std::stop_token stop) {
  RoundRun run;
  std::string json = fmt::format("{}/{}{}.json", folder, side.name, round);
  std::string log = fmt::format("{}/{}.log", folder, side.name);
  SpawnRequest request;
  request.output_path = log;
  request.argv.push_back(side.program);
  request.argv.insert(request.argv.end(), config.command.begin(), config.command.end());
  request.argv.insert(request.argv.end(), side.extra.begin(), side.extra.end());
  for (std::string word :
       {std::string("--repetitions"), std::to_string(config.per_round), std::string("--json"), json,
        std::string("--color"), std::string("never")}) {
    request.argv.push_back(word);
  }
  pid_t pid = Spawn(request, &run.error);
  if (pid < 0) {
    run.exit_status = 2;
    run.error = fmt::format("--{}: cannot start {}: {}", side.name == 'A' ? 'a' : 'b', side.program,
                            run.error);
    return run;
  }
  ChildExit exit = AwaitChild(pid, true, stop, std::chrono::seconds(2), &run.error);
  if (exit.stopped) {
    run.exit_status = 130;
    return run;
  }
  int status = WIFEXITED(exit.status) ? WEXITSTATUS(exit.status) : -1;
  std::string why;
  if (status == 0 || status == 1) run.results = LoadResults(json, Metric::kWall, &why);
  if (!run.results) {
    // Refused (exit 2) is bad input; a side that crashed or wrote no results fails the gate.
    run.exit_status = status == 2 ? 2 : 1;
    run.error = fmt::format("side {} ({}), round {}: {}, {}; its output:{}", side.name,
                            side.program, round + 1, DescribeExit(exit.status),
                            why.empty() ? "no results" : why, LastLines(log, 20));
  }
  return run;
}

// Runs `rounds` rounds, A and B in turn (B first in every other round, so that neither side
// always runs on a machine the other has just warmed); the results of each side by round.
// Returns the exit status that ends ab early (1: a side crashed or wrote no results, 2: a side's
// command was refused, 130: stopped), or 0.
int RunRounds(const Side& a, const Side& b, const AbConfig& config, unsigned rounds,
              const std::string& label, std::stop_token stop,
              std::vector<std::vector<Result>>& base, std::vector<std::vector<Result>>& next) {
  TempFolder folder;
  if (folder.path().empty()) {
    fmt::print(stderr, "concbench ab: cannot make a temporary folder in {}\n",
               fs::temp_directory_path().string());
    return 2;
  }
  bool progress = !config.quiet && IsTerminal(STDERR_FILENO);
  for (unsigned round = 0; round < rounds; ++round) {
    if (progress) fmt::print(stderr, "\r{} round {} of {}  ", label, round + 1, rounds);
    const Side* order[2] = {&a, &b};
    if (round % 2 == 1) std::swap(order[0], order[1]);
    for (const Side* side : order) {
      RoundRun run = RunSide(*side, config, folder.path(), round, stop);
      if (run.exit_status == 130 || stop.stop_requested()) {
        if (progress) fmt::print(stderr, "\n");
        fmt::print(stderr, "concbench ab: stopped in {} round {}\n", label, round + 1);
        return 130;
      }
      if (!run.results) {
        if (progress) fmt::print(stderr, "\n");
        fmt::print(stderr, "concbench ab: {}\n", run.error);
        return run.exit_status;
      }
      (side == &a ? base : next).push_back(std::move(*run.results));
    }
  }
  if (progress) fmt::print(stderr, "\r\033[K");
  return 0;
}

// The command's words checked; "" or why they cannot be run by ab.
std::string CheckCommand(const std::vector<std::string>& command) {
  if (command.empty() || command.front() != "run") {
    return "give the run to measure after --, starting with 'run' (concbench ab -- run -w sleep "
           "...)";
  }
  for (const std::string& word : command) {
    std::string name = word.substr(0, word.find('='));
    for (const char* own : kOwnOptions) {
      if (name == own || (std::string_view(own) == "-r" && word.starts_with("-r") &&
                          word.size() > 2 && !word.starts_with("--"))) {
        return fmt::format(
            "{}: ab sets it for each round (use --rounds and --per-round; ab writes no results "
            "file of the runs)",
            own);
      }
    }
    if (name.starts_with("--export-")) {
      return fmt::format("{}: each round would overwrite it; ab writes no export of the runs",
                         name);
    }
  }
  return "";
}

std::optional<Side> MakeSide(char name, const std::string& program, const std::string& args,
                             std::string* error) {
  Side side;
  side.name = name;
  side.program = program;
  if (side.program.empty()) {
    std::error_code failed;
    side.program = fs::read_symlink("/proc/self/exe", failed).string();
    if (failed) {
      *error = fmt::format("cannot find this program (/proc/self/exe): {}", failed.message());
      return std::nullopt;
    }
  }
  std::string why;
  std::optional<std::vector<std::string>> words = SplitWords(args, &why);
  if (!words) {
    *error = fmt::format("--{}-args: {}", static_cast<char>(name + ('a' - 'A')), why);
    return std::nullopt;
  }
  side.extra = std::move(*words);
  return side;
}

}  // namespace

CLI::App* AddAbCommand(CLI::App& app, AbConfig& config) {
  CLI::App* ab = app.add_subcommand(
      "ab",
      "Measure two builds or two command lines of one run in turn, round after round, and "
      "judge the paired samples (the CI gate)");
  ab->add_option("--a", config.a, "Program A, the base (default: this one)")
      ->check(CLI::ExistingFile);
  ab->add_option("--b", config.b, "Program B, the new one (default: this one)")
      ->check(CLI::ExistingFile);
  ab->add_option("--a-args", config.a_args, "Words added to A's command line, split as a shell");
  ab->add_option("--b-args", config.b_args, "Words added to B's command line, split as a shell");
  ab->add_option("--rounds", config.rounds, "Rounds of A and B")
      ->check(CLI::Range(1u, 10000u))
      ->capture_default_str();
  ab->add_option("--confirm", config.confirm,
                 "Rounds that measure a suspected regression again before it fails (0: none)")
      ->check(CLI::Range(0u, 10000u))
      ->capture_default_str();
  ab->add_option("--per-round", config.per_round,
                 "Repetitions of each point in a round; their median is the round's value")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  ab->add_option("--threshold", config.threshold_percent,
                 "Changes smaller than PCT percent (or half the measured noise, if larger) are "
                 "no change")
      ->check(FiniteNumber())
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  ab->add_option("--alpha", config.alpha, "Significance level of the signed-rank test")
      ->check(FiniteNumber())
      ->check(CLI::Range(1e-6, 0.5))
      ->capture_default_str();
  ab->add_option("--metric", config.metric,
                 "What to compare: auto (cpu for CPU-bound points, wall for the others), wall, "
                 "user, system, cpu, peak_rss")
      ->check(CLI::IsMember(CompareMetricNames()))
      ->capture_default_str();
  std::vector<std::string> formats = ReporterNames(kComparisonReport);
  ab->add_option("--format", config.format, fmt::format("Output: {}", fmt::join(formats, ", ")))
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  ab->add_option("--color", config.color, "Colour the table: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  ab->add_flag("-q,--quiet", config.quiet, "No progress on stderr");
  ab->add_option("command", config.command, "-- run OPTIONS...: the run both sides measure")
      ->required();
  return ab;
}

int ExecuteAb(const AbConfig& config, std::stop_token stop) {
  std::string error = CheckCommand(config.command);
  std::optional<Side> a, b;
  if (error.empty()) a = MakeSide('A', config.a, config.a_args, &error);
  if (a) b = MakeSide('B', config.b, config.b_args, &error);
  if (!b) {
    fmt::print(stderr, "concbench ab: {}\n", error);
    return 2;
  }
  CompareOptions options =
      CompareOptionsFrom(config.metric, config.threshold_percent, config.alpha);
  std::vector<std::vector<Result>> base, next;
  if (int status = RunRounds(*a, *b, config, config.rounds, "ab:", stop, base, next)) {
    return status;
  }
  ComparisonReport report = CompareRounds(base, next, options);
  bool suspected = std::any_of(report.pairs.begin(), report.pairs.end(), Suspected);
  if (suspected && config.confirm > 0) {
    std::vector<std::vector<Result>> base_again, next_again;
    if (int status = RunRounds(*a, *b, config, config.confirm, "ab: confirming:", stop, base_again,
                               next_again)) {
      return status;
    }
    report = ConfirmRegressions(report, CompareRounds(base_again, next_again, options));
  }
  if (report.pairs.empty()) {
    fmt::print(stderr, "concbench ab: no point of B pairs with one of A: nothing was compared\n");
    for (const std::string& name : report.only_in_base) fmt::print(stderr, "  A: {}\n", name);
    for (const std::string& name : report.only_in_new) fmt::print(stderr, "  B: {}\n", name);
    return 2;
  }
  Report output{.comparison = &report,
                .color = config.format == "table" && UseColor(config.color, STDOUT_FILENO)};
  FindReporter(config.format)->write(std::cout, output);
  std::cout.flush();
  return report.failed() ? 1 : 0;
}

}  // namespace concbench
