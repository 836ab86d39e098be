// Runs the real concbench binary (CONCBENCH_BINARY) and checks exit codes, messages and output.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace {

using namespace concbench::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST_F(Cli, ListNamesEveryEngineAndWorkloadWithParameters) {
  Outcome o = Run({"list"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* name :
       {"sequential",   "thread",       "pool",          "process",        "asio",
        "sleep",        "primes",       "http",          "file",           "--workers",
        "--offload",    "--delays",     "--numbers",     "--count",        "counter",
        "blocking",     "queue",        "--timeout",     "--return-when",  "--fail-rate",
        "--crash-rate", "--lock",       "--blocking-at", "not on process", "--latency",
        "--size",       "--keep-alive", "--url",         "--dir",          "--fsync"}) {
    EXPECT_NE(o.out.find(name), std::string::npos) << name;
  }
}

TEST_F(Cli, UnknownEngineExitsTwoWithSuggestion) {
  Outcome o = Run({"run", "--engine", "trhead"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("unknown engine 'trhead' (did you mean 'thread'?)"), std::string::npos)
      << o.err;
  bool mpi = Run({"list"}).out.find("(no mpi engine: ") == std::string::npos;
  std::string cpp = mpi ? "sequential, thread, pool, process, asio, mpi"
                        : "sequential, thread, pool, process, asio";
  EXPECT_NE(o.err.find("valid: " + cpp + ", py-"), std::string::npos) << o.err;
}

TEST_F(Cli, UnknownWorkloadExitsTwoWithSuggestion) {
  Outcome o = Run({"run", "-w", "prime"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("did you mean 'primes'?"), std::string::npos) << o.err;
}

TEST_F(Cli, MalformedValuesExitTwoNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"run", "-w", "sleep", "--delay", "2x"}, "--delay"},
      {{"run", "-w", "sleep", "--delay", "2x"}, "'2x': unknown unit 'x' (units: s, ms, us, ns)"},
      {{"run", "-w", "sleep", "--delay", "10mss"},
       "'10mss': unknown unit 'mss' (units: s, ms, us, ns)"},
      {{"run", "-w", "sleep", "--delay", "10"}, "'10' needs a unit: s, ms, us or ns"},
      {{"rnu"}, "unknown command 'rnu' (did you mean 'run'?)"},
      {{"run", "-w", "sleep", "--sweep", "taks=1,2"},
       "--sweep taks: no workload or engine has this parameter (did you mean 'tasks'?)"},
      {{"run", "-w", "sleep", "--tasks", "0"}, "--tasks"},
      {{"run", "-w", "sleep", "--tasks", "-3"}, "--tasks"},
      {{"run", "-w", "sleep", "--delays", "1s,abc"}, "--delays"},
      {{"run", "-w", "primes", "--numbers", "12,x"}, "--numbers"},
      {{"run", "-e", "pool", "--workers", "0"}, "--workers"},
      {{"run", "-r", "0"}, "--repetitions"},
      {{"run", "-w", "sleep", "--numbers", "7"}, "--numbers: does not apply"},
      {{"run", "-w", "sleep", "--delays", "1s", "--tasks", "2"}, "--delays"},
      {{"run", "-w", "sleep", "--json", "/nonexistent-dir/out.json"}, "--json"},
      {{"frobnicate"}, "frobnicate"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.args.back() << ": " << o.err;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << c.message << " not in: " << o.err;
    EXPECT_EQ(o.err.find("terminate"), std::string::npos) << o.err;
  }
}

TEST_F(Cli, SmallRunOnEveryEngineWritesVerifiedJson) {
  fs::path json = dir_ / "results.json";
  Outcome o =
      Run({"run", "-w", "sleep,primes", "--tasks", "4", "--delay", "5ms", "--numbers",
           "1000003,1000033,1000037,1000039", "-r", "2", "--warmup", "0", "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  EXPECT_NE(o.out.find("median ± stddev"), std::string::npos);
  EXPECT_NE(o.out.find("results written to"), std::string::npos);
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  EXPECT_EQ(doc["schema"], "concbench/1");
  EXPECT_NE(doc["context"]["command_line"].get<std::string>().find("--json"), std::string::npos);
  ASSERT_EQ(doc["results"].size(), 10u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["times"].size(), 2u);
    EXPECT_EQ(r["tasks"]["total"], 8);
    EXPECT_TRUE(r["speedup"].is_number()) << r.dump();
    EXPECT_GT(r["efficiency"].get<double>(), 0.0);
    EXPECT_GT(r["peak_rss_bytes"].get<long>(), 0);
  }
  // No temporary file is left beside the results.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 3u);  // results.json, out, err
}

TEST_F(Cli, EmptySpinTasksRunOnEveryEngineAndTaskCpuIsAskedFor) {
  fs::path json = dir_ / "empty.json";
  Outcome o = Run({"run", "-w", "spin", "--grain", "0", "--tasks", "50", "-r", "1", "--warmup", "0",
                   "-q", "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 5u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["tasks"]["completed"], 50) << r.dump();
    EXPECT_TRUE(r["efficiency"].is_null()) << r.dump();  // an empty task has no floor
    EXPECT_FALSE(r["settings"].contains("task_cpu")) << r.dump();
    EXPECT_FALSE(r["metrics"].contains("calibration_error")) << r.dump();
  }
  // Task CPU is measured only when asked for; then spin reports its calibration.
  o = Run({"run", "-w", "spin", "--grain", "200us", "--tasks", "4", "-e", "sequential,process",
           "--task-cpu", "-r", "1", "--warmup", "0", "-q", "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 2u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["settings"]["task_cpu"], true) << r.dump();
    EXPECT_TRUE(r["metrics"].contains("calibration_error")) << r.dump();
  }
}

TEST_F(Cli, JsonToStdoutMovesTheTableToStderr) {
  Outcome o = Run({"run", "-w", "sleep", "-e", "asio", "--tasks", "2", "--delay", "1ms", "-r", "1",
                   "--json", "-"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json doc = nlohmann::json::parse(o.out);
  EXPECT_EQ(doc["results"][0]["engine"], "asio");
  EXPECT_TRUE(doc["results"][0]["speedup"].is_null());
  EXPECT_NE(o.err.find("median ± stddev"), std::string::npos);
}

// Each point runs its warmup and first repetition before the next point starts: a sweep stopped
// after its first point keeps it, marked incomplete.
TEST_F(Cli, SigintAfterTheFirstPointOfASweepKeepsThatPoint) {
  fs::path json = dir_ / "results.json";
  pid_t pid = Start({"run", "-w", "sleep", "-e", "asio", "--delay", "1s", "--sweep", "tasks=1,2,3",
                     "-r", "3", "--warmup", "1", "-q", "--json", json.string()});
  // The file is first written once a point was measured (2 s: its warmup and a repetition).
  for (int tries = 0; tries < 3000 && !fs::exists(json); ++tries) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(fs::exists(json)) << "no point was ever saved";
  ::kill(pid, SIGINT);
  Outcome o = Wait(pid);
  EXPECT_EQ(o.exit_code, 130) << o.err;
  EXPECT_NE(o.err.find("kept with fewer repetitions than planned"), std::string::npos) << o.err;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  // Stopped while the second point warmed up (it has a second for that): the first point only.
  ASSERT_EQ(doc["results"].size(), 1u) << doc.dump();
  EXPECT_EQ(doc["results"][0]["sweep"]["tasks"], "1");
  EXPECT_GE(doc["results"][0]["times"].size(), 1u);
}

TEST_F(Cli, SigintStopsTheRunWritesFinishedResultsAndExits130) {
  fs::path json = dir_ / "results.json";
  // asio takes 2 s; process, with two workers for four 2 s waits, would take 4 s more: the stop
  // comes in the middle of that, leaving a slow start (a sanitizer's, on a loaded machine) 2 s.
  pid_t pid = Start({"run", "-w", "sleep", "-e", "asio,process", "--tasks", "4", "--delay", "2s",
                     "--workers", "2", "-r", "1", "--warmup", "0", "--json", json.string()});
  std::this_thread::sleep_for(4s);
  ::kill(pid, SIGINT);
  auto sent = std::chrono::steady_clock::now();
  Outcome o = Wait(pid);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 2500ms);
  EXPECT_EQ(o.exit_code, 130) << o.err;
  EXPECT_NE(o.err.find("interrupted; 1 of 2 results finished"), std::string::npos) << o.err;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["engine"], "asio");
  // The process engine's workers carry the parent's command line: none may outlive it.
  EXPECT_FALSE(AnyProcessMentions(json.string()));
}

TEST_F(Cli, HazardOptionsRejectBadValuesWithExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"run", "-w", "counter", "--lock", "spin"}, "--lock: 'spin' is not one of none, mutex"},
      {{"run", "-w", "sleep", "--return-when", "soon"}, "--return-when: 'soon' is not one of"},
      {{"run", "-w", "sleep", "--timeout", "3"}, "--timeout"},
      {{"run", "-w", "sleep", "--fail-rate", "1.5"}, "--fail-rate: '1.5' is not a share"},
      {{"run", "-w", "sleep", "--seed", "-1"}, "--seed"},
      {{"run", "-w", "sleep", "-e", "thread", "--crash-rate", "0.1"},
       "--crash-rate: does not apply to the selected workloads and engines (it applies to the "
       "process engine only)"},
      {{"run", "-w", "queue", "-e", "process"}, "queue cannot run on process"},
      {{"run", "-w", "queue", "-e", "pool", "--workers", "2"}, "--workers 4"},
      {{"run", "-w", "queue", "--fail-rate", "0.1"}, "--fail-rate: does not apply"},
      {{"run", "-w", "blocking", "--tasks", "3", "--blocking-at", "3"}, "--blocking-at: task 3"},
      {{"run", "-w", "blocking", "--tasks", "3", "--blocking", "4"}, "--blocking"},
      {{"run", "-w", "counter", "--shared", "--pause", "x"}, "--pause"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.message << ": " << o.err;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << c.message << " not in: " << o.err;
  }
}

TEST_F(Cli, HttpAndFileRunOnEveryEngineAndLeaveNothingBehind) {
  fs::path json = dir_ / "results.json";
  fs::path files = dir_ / "files";
  fs::create_directories(files);
  Outcome o = Run({"run", "-w", "http,file", "--tasks", "3", "--latency", "5ms", "--size", "4KiB",
                   "--dir", files.string(), "-r", "1", "--warmup", "0", "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 10u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["settings"]["size"], 4096) << r.dump();
    if (r["workload"] == "http") {
      EXPECT_EQ(r["metrics"]["requests"], 3) << r.dump();
      EXPECT_EQ(r["metrics"]["connections_opened"], 3) << r.dump();
    } else {
      EXPECT_EQ(r["metrics"]["io"], r["engine"] == "asio" ? "thread_pool offload" : "blocking")
          << r.dump();
    }
  }
  EXPECT_TRUE(fs::is_empty(files));
}

TEST_F(Cli, BadUrlOrDirExitsTwoNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"run", "-w", "http", "--url", "https://example.com/"}, "--url: "},
      {{"run", "-w", "http", "--url", "http://127.0.0.1:0/"}, "--url: "},
      {{"run", "-w", "http", "--url", "nonsense"}, "--url: "},
      {{"run", "-w", "http", "--url", "http://127.0.0.1:1/", "--latency", "1s"}, "--latency"},
      {{"run", "-w", "http", "--size", "12parsecs"}, "--size"},
      {{"run", "-w", "file", "--dir", (dir_ / "missing").string()}, "--dir: "},
      {{"run", "-w", "file", "--dir", "/proc"}, "--dir: "},
      {{"run", "-w", "sleep", "--url", "http://127.0.0.1:1/"}, "--url: does not apply"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.args.back() << ": " << o.err;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << c.message << " not in: " << o.err;
  }
}

TEST_F(Cli, ATimeoutIsAMeasuredRunNotAnInterruption) {
  fs::path json = dir_ / "results.json";
  auto started = std::chrono::steady_clock::now();
  Outcome o = Run({"run", "-w", "sleep", "-e", "asio,pool", "--delays", "10ms,20s,20s", "--workers",
                   "1", "--timeout", "300ms", "-r", "2", "--warmup", "0", "--json", json.string()});
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
  EXPECT_EQ(o.exit_code, 0) << o.err << o.out;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 2u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["tasks"]["completed"], 2);
    EXPECT_EQ(r["settings"]["timeout"], "300ms");
    EXPECT_EQ(r["times"].size(), 2u);
  }
  EXPECT_EQ(doc["results"][0]["tasks"]["cancelled"], 4);  // asio started every task
  EXPECT_EQ(doc["results"][1]["tasks"]["pending"], 2);    // pool of one: the third never started
  EXPECT_NE(o.out.find("ended by --timeout"), std::string::npos) << o.out;
}

TEST_F(Cli, NoTaskCompletedBeforeTheDeadlineIsUnverifiedAndExitsOne) {
  fs::path json = dir_ / "results.json";
  Outcome o =
      Run({"run", "-w", "sleep", "-e", "thread,sequential", "--tasks", "3", "--delay", "10s",
           "--timeout", "1us", "-r", "2", "--warmup", "0", "-q", "--json", json.string()});
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  const std::string reason =
      "no task completed before the deadline (--timeout 1us): nothing was measured";
  EXPECT_NE(o.err.find("sleep on thread: " + reason), std::string::npos) << o.err;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 2u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], false) << r.dump();
    EXPECT_EQ(r["unverified_reason"], reason);
    EXPECT_TRUE(r["efficiency"].is_null());
    EXPECT_EQ(r["efficiency_note"], "no task completed");
  }
  EXPECT_NE(o.out.find("efficiency —: no task completed"), std::string::npos) << o.out;
}

TEST_F(Cli, EfficiencyIsAtMostOneOrUndefinedWithItsReason) {
  fs::path json = dir_ / "results.json";
  Outcome o =
      Run({"run", "-w", "sleep", "-e", "thread", "--tasks", "10", "--delay", "50ms", "--fail-rate",
           "0.5", "-r", "2", "--warmup", "0", "-q", "--json", json.string()});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  nlohmann::json r = nlohmann::json::parse(ReadAll(json))["results"][0];
  ASSERT_TRUE(r["efficiency"].is_number()) << r.dump();
  EXPECT_LE(r["efficiency"].get<double>(), 1.0);
  o = Run({"run", "-w", "queue", "-e", "thread", "--items", "100", "-r", "1", "--warmup", "0", "-q",
           "--json", json.string()});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  r = nlohmann::json::parse(ReadAll(json))["results"][0];
  EXPECT_TRUE(r["efficiency"].is_null());
  EXPECT_EQ(r["efficiency_note"], "queue has no floor to compare with");
  EXPECT_NE(o.out.find("efficiency —: queue has no floor to compare with (queue on thread)"),
            std::string::npos)
      << o.out;
}

TEST_F(Cli, FailuresByDesignExitOneAndNameTheirCause) {
  Outcome o = Run({"run", "-w", "sleep", "-e", "thread", "--tasks", "20", "--delay", "1ms",
                   "--fail-rate", "0.5", "-r", "1", "--warmup", "0"});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_NE(o.out.find("failure injected by --fail-rate 0.5 --seed 1"), std::string::npos) << o.out;
}

// A share is a share: round(P × tasks) tasks, the same ones in every repetition, each named once.
TEST_F(Cli, FailureSharesHitThatManyTasksEachReportedOnce) {
  fs::path json = dir_ / "shares.json";
  Outcome o = Run({"run", "-w", "sleep", "-e", "sequential", "--tasks", "4", "--delay", "1ms",
                   "--fail-rate", "0.5", "-r", "2", "--warmup", "0", "-q", "--json", json});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  EXPECT_EQ(doc["results"][0]["tasks"]["failed"], 4);  // 2 tasks × 2 repetitions
  o = Run({"run", "-w", "spin", "-e", "process", "--tasks", "6", "--grain", "1ms", "--crash-rate",
           "0.5", "-r", "3", "--warmup", "0", "-q", "--json", json});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  doc = nlohmann::json::parse(ReadAll(json));
  const nlohmann::json& result = doc["results"][0];
  EXPECT_EQ(result["tasks"]["failed"], 9);  // 3 tasks × 3 repetitions, each a dead worker
  std::size_t crashes = 0;
  for (const auto& problem : result["problems"]) {
    std::string text = problem.get<std::string>();
    if (text.find("--crash-rate") == std::string::npos) continue;
    ++crashes;
    EXPECT_NE(text.find("failed in 3 of 3 repetitions"), std::string::npos) << text;
  }
  EXPECT_EQ(crashes, 3u) << result["problems"].dump(1);
}

TEST_F(Cli, CounterReportsItsLostUpdates) {
  fs::path json = dir_ / "results.json";
  Outcome o = Run({"run", "-w", "counter", "-e", "thread,asio", "--tasks", "4", "--pause", "20ms",
                   "-r", "1", "--warmup", "0", "--json", json.string()});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  EXPECT_GT(doc["results"][0]["metrics"]["lost_updates"].get<long>(), 0);
  EXPECT_EQ(doc["results"][1]["metrics"]["final"], 4);
  // The lesson in words; the raw figures behind -v.
  EXPECT_NE(o.out.find("What the run shows:"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("    kept all 4 updates: asio\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(" of 4 updates: thread\n"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("counter on thread: expected 4"), std::string::npos) << o.out;
  o = Run({"run", "-w", "counter", "-e", "thread", "--tasks", "4", "--pause", "20ms", "-r", "1",
           "--warmup", "0", "-v"});
  EXPECT_NE(o.out.find("counter on thread: expected 4"), std::string::npos) << o.out;
}

TEST_F(Cli, SigintDuringAFileRunRemovesItsFolder) {
  fs::path files = dir_ / "files";
  fs::create_directories(files);
  pid_t pid = Start({"run", "-w", "file", "-e", "sequential", "--tasks", "1000000", "--size",
                     "256KiB", "--dir", files.string(), "-r", "1", "--warmup", "0"});
  // Wait until the run has made its folder, then interrupt it.
  for (int i = 0; i < 500 && fs::is_empty(files); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(fs::is_empty(files));
  std::this_thread::sleep_for(200ms);
  ::kill(pid, SIGINT);
  Outcome o = Wait(pid);
  EXPECT_EQ(o.exit_code, 130) << o.err;
  EXPECT_TRUE(fs::is_empty(files));
}

TEST_F(Cli, HelpAndVersionExitZero) {
  EXPECT_EQ(Run({"--help"}).exit_code, 0);
  EXPECT_EQ(Run({"run", "--help"}).exit_code, 0);
  Outcome o = Run({"--version"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_FALSE(o.out.empty());
}

// Help reads like a man page: groups, placeholders instead of CLI11's type notation, lines of
// at most 100 columns, and narrowed to the workloads and engines given.
TEST_F(Cli, HelpIsGroupedWithinOneHundredColumnsAndNarrowsToWhatWasNamed) {
  Outcome full = Run({"run", "--help"});
  ASSERT_EQ(full.exit_code, 0);
  std::istringstream lines(full.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 100u) << line;
    EXPECT_EQ(line.find("TEXT:"), std::string::npos) << line;
    EXPECT_EQ(line.find("Excludes"), std::string::npos) << line;
  }
  for (const char* group : {"What to run and how often:", "Outputs:", "Engine options:",
                            "Workload file options:", "Workload exec options:"}) {
    EXPECT_NE(full.out.find(group), std::string::npos) << group;
  }
  EXPECT_NE(full.out.find("--tasks N"), std::string::npos);
  EXPECT_NE(full.out.find("[default: 10; http, file: 20]"), std::string::npos);
  Outcome file = Run({"run", "--help", "-w", "file", "-e", "pool"});
  ASSERT_EQ(file.exit_code, 0);
  EXPECT_NE(file.out.find("--fsync"), std::string::npos);
  EXPECT_NE(file.out.find("--workers"), std::string::npos);
  EXPECT_EQ(file.out.find("\n  --cmd "), std::string::npos) << "exec's option, not file's";
  EXPECT_EQ(file.out.find("\n  --crash-rate "), std::string::npos) << "the process engine's";
  EXPECT_NE(file.out.find("number of tasks [default: 20]"), std::string::npos) << file.out;
}

// The README's sample table has the columns the program prints today.
TEST_F(Cli, TheReadmesSampleTableHasTheTablesColumns) {
  std::string readme = ReadAll(fs::path(CONCBENCH_SOURCE_DIR) / "README.md");
  std::size_t example = readme.find("Example (`concbench run -w sleep --delays 2s,3s");
  ASSERT_NE(example, std::string::npos);
  std::size_t block = readme.find("```text\n", example);
  ASSERT_NE(block, std::string::npos);
  std::string documented = readme.substr(block + 8, readme.find('\n', block + 8) - block - 8);
  Outcome o = Run({"run", "-w", "sleep", "--delays", "20ms,30ms", "-r", "1", "--warmup", "0",
                   "--color", "never", "--columns", "normal"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::string printed = o.out.substr(0, o.out.find('\n'));
  auto words = [](const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> all;
    for (std::string word; in >> word;) all.push_back(word);
    return all;
  };
  EXPECT_EQ(words(documented), words(printed)) << documented << "\n" << printed;
}

TEST_F(Cli, AMistypedOptionGetsASuggestionAndTheCommandsHelp) {
  Outcome o = Run({"run", "-w", "sleep", "--dealy", "1s"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("unknown option --dealy (did you mean --delay?)"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("Run 'concbench run --help'"), std::string::npos) << o.err;
  o = Run({"compare", "--thresold", "5", "a.json", "b.json"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("did you mean --threshold?"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("Run 'concbench compare --help'"), std::string::npos) << o.err;
  o = Run({"run", "-w", "sleep", "--tasks", "-3"});  // a value, not an option
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--tasks"), std::string::npos) << o.err;
}

}  // namespace

TEST_F(Cli, TraceHasOneCompleteEventPerTaskOnItsResultsProcessAndWorkersLanes) {
  fs::path trace = dir_ / "trace.json";
  fs::path json = dir_ / "results.json";
  Outcome o =
      Run({"run", "-w", "sleep", "-e", "pool,asio", "--tasks", "5", "--delay", "1ms", "--workers",
           "2", "-r", "1", "--warmup", "0", "--trace", trace.string(), "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(trace));
  nlohmann::json results = nlohmann::json::parse(ReadAll(json))["results"];
  std::map<int, std::string> process_names;
  std::map<int, std::set<long>> workers;  // the workers of the events, per pid
  std::map<int, std::set<long>> lanes;    // tids per pid
  std::map<int, std::set<long>> tasks;
  for (const auto& event : doc["traceEvents"]) {
    int pid = event["pid"];
    if (event["ph"] == "M" && event["name"] == "process_name") {
      process_names[pid] = event["args"]["name"];
    } else if (event["ph"] == "X") {
      EXPECT_TRUE(tasks[pid].insert(event["args"]["task"].get<long>()).second) << event.dump();
      workers[pid].insert(event["args"]["worker"].get<long>());
      lanes[pid].insert(event["tid"].get<long>());
      EXPECT_GE(event["dur"].get<double>(), 1000.0) << event.dump();  // waited 1 ms
    }
  }
  // Named by the parameters given; asio's workers is 1 without --offload.
  EXPECT_EQ(process_names,
            (std::map<int, std::string>{{1, "sleep on pool (delay=1ms, tasks=5, workers=2)"},
                                        {2, "sleep on asio (delay=1ms, tasks=5, workers=1)"}}));
  EXPECT_EQ(tasks[1], (std::set<long>{0, 1, 2, 3, 4}));
  EXPECT_EQ(tasks[2], (std::set<long>{0, 1, 2, 3, 4}));
  // The events' workers are those of the results file's timeline.
  for (int pid : {1, 2}) {
    std::set<long> timeline_workers;
    for (const auto& span : results[static_cast<std::size_t>(pid - 1)]["timeline"])
      timeline_workers.insert(span[3].get<long>());
    EXPECT_EQ(workers[pid], timeline_workers);
  }
  EXPECT_EQ(workers[2].size(), 1u);  // asio: one loop thread, its tasks on lanes
  EXPECT_LE(workers[1].size(), 2u);  // pool: --workers 2, a lane each
  EXPECT_EQ(lanes[1].size(), workers[1].size());
  // The latencies are those of the timeline (rounded to the microsecond there): the median of
  // five starts is the third, the completion max the last end.
  std::vector<double> starts, ends;
  for (const auto& span : results[0]["timeline"]) {
    starts.push_back(span[1].get<double>());
    ends.push_back(span[2].get<double>());
  }
  ASSERT_EQ(starts.size(), 5u);
  std::sort(starts.begin(), starts.end());
  const auto& latency = results[0]["latency"];
  EXPECT_NEAR(latency["start_delay"]["p50"].get<double>(), starts[2], 1e-6);
  EXPECT_NEAR(latency["start_delay"]["max"].get<double>(), starts[4], 1e-6);
  EXPECT_NEAR(latency["completion"]["max"].get<double>(),
              *std::max_element(ends.begin(), ends.end()), 1e-6);
  EXPECT_GE(latency["completion"]["max"].get<double>(), 0.001);
}

TEST_F(Cli, TraceToAMissingFolderExitsTwo) {
  Outcome o = Run({"run", "-w", "sleep", "--tasks", "1", "--trace", "/nonexistent/dir/t.json"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--trace"), std::string::npos) << o.err;
}

TEST_F(Cli, MetgOnATinyRangeWritesEveryCurve) {
  fs::path json = dir_ / "metg.json";
  Outcome o =
      Run({"metg", "-e", "pool,asio", "--min-grain", "200us", "--max-grain", "1ms",
           "--points-per-decade", "2", "--tasks", "20", "-r", "1", "--json", json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  EXPECT_NE(o.out.find("asio --offload"), std::string::npos) << o.out;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  EXPECT_EQ(doc["schema"], "concbench-metg/1");
  EXPECT_DOUBLE_EQ(doc["threshold"].get<double>(), 0.5);
  ASSERT_EQ(doc["engines"].size(), 2u);
  EXPECT_EQ(doc["engines"][1]["label"], "asio --offload");
  EXPECT_EQ(doc["engines"][1]["parameters"]["offload"], true);
  for (const auto& engine : doc["engines"]) {
    // 1ms, 316us, 200us: geometric, then the minimum itself.
    ASSERT_EQ(engine["curve"].size(), 3u) << engine.dump();
    EXPECT_DOUBLE_EQ(engine["curve"][0]["grain"].get<double>(), 1e-3);
    EXPECT_DOUBLE_EQ(engine["curve"][2]["grain"].get<double>(), 200e-6);
    for (const auto& point : engine["curve"]) {
      EXPECT_GT(point["efficiency"].get<double>(), 0.0);
      EXPECT_GT(point["median"].get<double>(), 0.0);
      EXPECT_EQ(point["tasks"], 20);
      EXPECT_EQ(point["verified"], true);
    }
    std::string status = engine["metg_status"];
    EXPECT_TRUE(status == "crossed" || status == "always_above" || status == "never_above");
    EXPECT_EQ(engine["metg"].is_number(), status == "crossed");
  }
}

TEST_F(Cli, MetgBadInputExitsTwoNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"metg", "-e", "trhead"}, "did you mean 'thread'"},
      {{"metg", "--threshold", "1.5"}, "--threshold"},
      {{"metg", "--threshold", "0"}, "--threshold"},
      {{"metg", "--min-grain", "5"}, "--min-grain"},
      {{"metg", "--max-grain", "0.5ns"}, "--max-grain"},
      {{"metg", "--max-grain", "50ns"}, "--min-grain: 100ns is above --max-grain 50ns"},
      {{"metg", "--min-grain", "1ms", "--max-grain", "10us"}, "--min-grain"},
      {{"metg", "--points-per-decade", "0"}, "--points-per-decade"},
      {{"metg", "-r", "0"}, "--repetitions"},
      {{"metg", "--json", "/nonexistent/dir/m.json"}, "--json"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.args.back() << ": " << o.err;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << c.message << " not in: " << o.err;
  }
}

TEST_F(Cli, MetgSigintExits130) {
  pid_t pid = Start({"metg", "-e", "thread", "--min-grain", "1us", "--max-grain", "1s", "-q"});
  std::this_thread::sleep_for(1s);
  ::kill(pid, SIGINT);
  Outcome o = Wait(pid);
  EXPECT_EQ(o.exit_code, 130) << o.err;
}
