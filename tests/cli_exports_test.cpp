// What other people's tools read from a real run: the fields hyperfine's scripts read from the
// results file, the names google/benchmark's compare.py pairs, the tracks Perfetto draws.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

using nlohmann::json;

class CliExports : public Cli {
 protected:
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  json Read(const std::string& name) { return json::parse(ReadAll(dir_ / name)); }
};

// True when `text` is a number as Python's float() reads it (plot_parametrized.py).
bool IsNumber(const std::string& text) {
  std::size_t used = 0;
  try {
    double value = std::stod(text, &used);
    return used == text.size() && std::isfinite(value);
  } catch (const std::exception&) {
    return false;
  }
}

// The fields hyperfine's scripts read (advanced_statistics, welch_ttest, plot_whisker,
// plot_histogram, plot_progression, plot_benchmark_comparison, plot_parametrized).
void ExpectHyperfineFields(const json& results) {
  std::set<std::string> commands;
  for (const json& r : results) {
    ASSERT_TRUE(r["command"].is_string()) << r.dump();
    EXPECT_TRUE(commands.insert(r["command"].get<std::string>()).second) << r["command"];
    ASSERT_TRUE(r["times"].is_array()) << r.dump();
    ASSERT_FALSE(r["times"].empty());
    for (const json& t : r["times"]) EXPECT_TRUE(t.is_number()) << r.dump();
    for (const char* key : {"mean", "stddev", "median", "min", "max", "user", "system"}) {
      EXPECT_TRUE(r[key].is_number()) << key << " in " << r.dump();
    }
    ASSERT_TRUE(r["exit_codes"].is_array()) << r.dump();
    EXPECT_EQ(r["exit_codes"].size(), r["times"].size()) << r.dump();
    for (const json& code : r["exit_codes"]) EXPECT_TRUE(code == 0 || code == 1) << r.dump();
    ASSERT_TRUE(r["parameters"].is_object()) << r.dump();
    for (const auto& [name, value] : r["parameters"].items()) {
      ASSERT_TRUE(value.is_string()) << name << " in " << r.dump();
      EXPECT_TRUE(r["sweep"].contains(name)) << name << " is not swept in " << r.dump();
    }
    EXPECT_TRUE(r["settings"].is_object()) << r.dump();
  }
}

TEST_F(CliExports, ARunHasHyperfinesFields) {
  Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "sequential,asio", "--tasks", "3", "--delay",
                   "2ms", "-r", "3", "--warmup", "0", "--json", Path("run.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json results = Read("run.json")["results"];
  ASSERT_EQ(results.size(), 2u);
  ExpectHyperfineFields(results);
  EXPECT_EQ(results[1]["command"], "sleep on asio (delay=2ms, tasks=3)");
  EXPECT_EQ(results[1]["exit_codes"], json({0, 0, 0}));
  EXPECT_EQ(results[1]["parameters"], json::object());  // nothing swept
  EXPECT_EQ(results[1]["settings"]["tasks"], 3);
}

// plot_parametrized.py wants exactly one parameter, the same name in every result, whose value
// float() reads: a swept duration is written in seconds.
TEST_F(CliExports, ASweepHasOneNumericParameterPerResult) {
  Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "asio", "--tasks", "2", "--sweep",
                   "delay=1ms,3ms", "-r", "2", "--warmup", "0", "--json", Path("sweep.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json results = Read("sweep.json")["results"];
  ASSERT_EQ(results.size(), 2u);
  ExpectHyperfineFields(results);
  EXPECT_EQ(results[0]["parameters"], json({{"delay", "0.001"}}));
  EXPECT_EQ(results[1]["parameters"], json({{"delay", "0.003"}}));
  for (const json& r : results) {
    EXPECT_TRUE(IsNumber(r["parameters"]["delay"].get<std::string>())) << r.dump();
  }
  EXPECT_EQ(results[0]["command"], "sleep on asio (delay=1ms, tasks=2)");
}

// A repetition with a failed task is 1; a result with one is not verified, an error in the gbench
// file and left out of the github one with a warning.
TEST_F(CliExports, AnUnverifiedResultIsMarkedInEveryExport) {
  Outcome o = Run({"run",
                   "-q",
                   "-w",
                   "sleep",
                   "-e",
                   "thread",
                   "--tasks",
                   "4",
                   "--delay",
                   "1ms",
                   "--fail-rate",
                   "1",
                   "-r",
                   "2",
                   "--warmup",
                   "0",
                   "--json",
                   Path("r.json"),
                   "--export-gbench",
                   Path("g.json"),
                   "--export-github",
                   Path("gh.json")});
  json r = Read("r.json")["results"][0];
  ASSERT_EQ(r["verified"], false) << r.dump();
  EXPECT_EQ(r["exit_codes"], json({1, 1}));
  json gbench = Read("g.json");
  for (const json& entry : gbench["benchmarks"]) {
    EXPECT_EQ(entry["error_occurred"], true) << entry.dump();
    EXPECT_TRUE(entry["error_message"].is_string()) << entry.dump();
    EXPECT_EQ(entry["run_type"], "iteration") << entry.dump();
  }
  EXPECT_EQ(Read("gh.json"), json::array());
  EXPECT_NE(
      o.err.find("warning: --export-github: sleep/thread/delay:1ms/fail_rate:1.0/tasks:4 left out"),
      std::string::npos)
      << o.err;
}

// The AsciiDoc and Org exports hold the Markdown export's rows, sorted and in the unit asked for.
TEST_F(CliExports, AsciidocAndOrgmodeHoldTheMarkdownRows) {
  std::vector<std::string> args = {
      "run",      "-q", "-w",      "sleep", "-e", "thread,asio,sequential",
      "--tasks",  "2",  "--delay", "2ms",   "-r", "2",
      "--warmup", "0",  "--sort",  "name",  "-u", "us"};
  for (auto [format, file] :
       {std::pair{"markdown", "r.md"}, {"asciidoc", "r.adoc"}, {"orgmode", "r.org"}}) {
    args.insert(args.end(), {std::string("--export-") + format, Path(file)});
  }
  args.insert(args.end(), {"--json", Path("r.json")});
  Outcome o = Run(args);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::string md = ReadAll(dir_ / "r.md"), adoc = ReadAll(dir_ / "r.adoc");
  std::string org = ReadAll(dir_ / "r.org");
  EXPECT_EQ(adoc.rfind("[cols=\"<,<,<,>,>,>,>,>,^\", options=\"header\"]\n|===\n", 0), 0u) << adoc;
  EXPECT_TRUE(adoc.ends_with("|===\n")) << adoc;
  EXPECT_NE(org.find("\n|----------+-"), std::string::npos) << org;
  for (const std::string* text : {&md, &adoc, &org}) {
    std::size_t asio = text->find("| asio "), sequential = text->find("| sequential ");
    std::size_t thread = text->find("| thread ");
    ASSERT_NE(thread, std::string::npos) << *text;
    EXPECT_LT(asio, sequential) << *text;
    EXPECT_LT(sequential, thread) << *text;
    EXPECT_NE(text->find(" µs ± "), std::string::npos) << *text;
    EXPECT_EQ(text->find(" ms "), std::string::npos) << *text;
  }
  // The table too; JSON keeps seconds and the order of the run.
  EXPECT_LT(o.out.find("\nsleep     asio "), o.out.find("\nsleep     thread ")) << o.out;
  json results = Read("r.json")["results"];
  EXPECT_EQ(results[0]["engine"], "thread");
  EXPECT_LT(results[0]["median"].get<double>(), 1.0);
}

// --workers defaults to the number of cores: a name without it pairs across runner sizes; given,
// it is named.
TEST_F(CliExports, ExportNamesCarryOnlyTheParametersGiven) {
  Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "pool", "--tasks", "2", "--delay", "1ms", "-r",
                   "1", "--warmup", "0", "--export-gbench", Path("default.json"), "--export-github",
                   Path("default_gh.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(Read("default.json")["benchmarks"][0]["name"], "sleep/pool/delay:1ms/tasks:2");
  EXPECT_EQ(Read("default_gh.json")[0]["name"], "sleep/pool/delay:1ms/tasks:2");
  o = Run({"run", "-q", "-w", "sleep", "-e", "pool", "--tasks", "2", "--delay", "1ms", "--workers",
           "3", "-r", "1", "--warmup", "0", "--export-gbench", Path("given.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(Read("given.json")["benchmarks"][0]["name"], "sleep/pool/delay:1ms/tasks:2/workers:3");
}

// Perfetto's rule for complete events: on one track (pid, tid) they nest, never partly overlap.
// concbench's lanes are stricter: one event at a time. Checked on whole nanoseconds.
TEST_F(CliExports, TraceLanesNeverOverlapOnAnyEngine) {
  Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "all", "--tasks", "6", "--delay", "10ms", "-r",
                   "1", "--warmup", "0", "--trace", Path("trace.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json trace = Read("trace.json");
  std::map<std::pair<int, int>, std::vector<std::pair<long long, long long>>> tracks;
  std::set<std::pair<int, int>> named;
  std::map<int, std::string> processes;
  for (const json& event : trace["traceEvents"]) {
    std::pair<int, int> track = {event["pid"].get<int>(), event.value("tid", 0)};
    if (event["ph"] == "M" && event["name"] == "thread_name") named.insert(track);
    if (event["ph"] == "M" && event["name"] == "process_name") {
      processes[track.first] = event["args"]["name"].get<std::string>();
    }
    if (event["ph"] != "X") continue;
    long long start = std::llround(event["ts"].get<double>() * 1000);
    long long end = start + std::llround(event["dur"].get<double>() * 1000);
    tracks[track].push_back({start, end});
  }
  ASSERT_EQ(processes.size(), 5u);  // every engine
  std::map<int, std::size_t> tasks;
  for (auto& [track, events] : tracks) {
    EXPECT_TRUE(named.contains(track)) << processes[track.first] << " tid " << track.second;
    std::sort(events.begin(), events.end());
    for (std::size_t i = 1; i < events.size(); ++i) {
      EXPECT_LE(events[i - 1].second, events[i].first)
          << processes[track.first] << " tid " << track.second << ": overlapping events";
    }
    tasks[track.first] += events.size();
  }
  for (const auto& [pid, name] : processes) EXPECT_EQ(tasks[pid], 6u) << name;
}

TEST_F(CliExports, TraceProcessesOfASweepDiffer) {
  Outcome o =
      Run({"run", "-q", "-w", "sleep", "-e", "asio", "--delay", "1ms", "--sweep", "tasks=2,3",
           "--name", "lanes", "-r", "1", "--warmup", "0", "--trace", Path("trace.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::vector<std::string> names;
  json trace = Read("trace.json");
  for (const json& event : trace["traceEvents"]) {
    if (event["name"] == "process_name") names.push_back(event["args"]["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"lanes: sleep on asio (delay=1ms, tasks=2)",
                                             "lanes: sleep on asio (delay=1ms, tasks=3)"}));
}

}  // namespace
}  // namespace concbench::testing

namespace concbench::testing {
namespace {

class CliOutputTargets : public Cli {
 protected:
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
};

// Two outputs of one run that land on the same file would leave one of them: refused before
// anything runs, whatever the path says (the same path, ./, a symlink, a hard link, stdout).
TEST_F(CliOutputTargets, TwoOutputsOnOneFileAreRefusedBeforeTheRun) {
  std::ofstream(dir_ / "kept.json") << "precious\n";
  fs::create_symlink(dir_ / "kept.json", dir_ / "link.json");
  fs::create_hard_link(dir_ / "kept.json", dir_ / "hard.json");
  std::string dot = (dir_ / "." / "new.json").string();
  struct Case {
    std::vector<std::string> outputs;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--json", Path("kept.json"), "--trace", Path("kept.json")},
       "--trace: '" + Path("kept.json") + "' is the file --json writes"},
      {{"--json", Path("new.json"), "--export-csv", dot}, "is the file --json writes"},
      {{"--json", Path("kept.json"), "--export-csv", Path("link.json")},
       "is the file --json writes"},
      {{"--json", Path("hard.json"), "--export-gbench", Path("kept.json")},
       "is the file --json writes"},
      {{"--json", "-", "--export-csv", "/dev/stdout"},
       "only one output can go to stdout (--json writes there already)"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"run",     "-w",  "sleep", "-e", "sequential", "--tasks", "1",
                                     "--delay", "1ms", "-r",    "1",  "--warmup",   "0"};
    args.insert(args.end(), c.outputs.begin(), c.outputs.end());
    Outcome o = Run(args);
    EXPECT_EQ(o.exit_code, 2) << c.outputs[3] << "\n" << o.err;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << o.err;
    EXPECT_EQ(ReadAll(dir_ / "kept.json"), "precious\n");
    EXPECT_FALSE(fs::exists(dir_ / "new.json"));
  }
  // /dev/null twice loses nothing.
  Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "sequential", "--tasks", "1", "--delay", "1ms",
                   "-r", "1", "--warmup", "0", "--json", "/dev/null", "--trace", "/dev/null"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
}

// --json /dev/stdout is --json -: the results alone on stdout, the table on stderr.
TEST_F(CliOutputTargets, DevStdoutIsStdout) {
  Outcome o = Run({"run", "-w", "sleep", "-e", "sequential", "--tasks", "1", "--delay", "1ms", "-r",
                   "1", "--warmup", "0", "--json", "/dev/stdout"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  json results = json::parse(o.out);  // nothing else on stdout
  EXPECT_EQ(results["results"].size(), 1u);
  EXPECT_NE(o.err.find("workload  engine  "), std::string::npos) << o.err;  // the table's header
}

}  // namespace
}  // namespace concbench::testing
