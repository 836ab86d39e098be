// `run --pattern` and `metg --pattern`: every Task Bench pattern runs verified on every engine
// that takes it, with Task Bench's task and dependency counts and its critical path in the
// results; a failed task's dependents do not run; bad shapes exit 2 before anything runs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

using nlohmann::json;

class CliGraph : public Cli {
 protected:
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  json Read(const std::string& name) { return json::parse(ReadAll(dir_ / name)); }
};

TEST_F(CliGraph, EveryPatternRunsVerifiedOnEveryEngineWithItsCounts) {
  std::string patterns =
      "trivial,no_comm,stencil_1d,stencil_1d_periodic,dom,tree,fft,all_to_all,nearest,spread,"
      "random_nearest";
  Outcome o = Run({"run",
                   "-w",
                   "spin",
                   "--grain",
                   "20us",
                   "--sweep",
                   "pattern=" + patterns,
                   "--steps",
                   "4",
                   "--width",
                   "8",
                   "-e",
                   "sequential,thread,pool,asio,process",
                   "--workers",
                   "3",
                   "-r",
                   "1",
                   "--warmup",
                   "0",
                   "-q",
                   "--json",
                   Path("r.json")});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  json results = Read("r.json")["results"];
  ASSERT_EQ(results.size(), 11u * 5u);
  for (const json& result : results) {
    SCOPED_TRACE(result["engine"].dump() + " " + result["settings"].dump());
    EXPECT_TRUE(result["verified"].get<bool>());
    const json& params = result["settings"];
    const json& metrics = result["metrics"];
    EXPECT_EQ(params["steps"], 4);
    EXPECT_EQ(params["width"], 8);
    EXPECT_EQ(metrics["graph_tasks"], params["tasks"]);
    std::string pattern = params["pattern"];
    std::size_t path = metrics["critical_path_tasks"];
    EXPECT_EQ(path, pattern == "trivial" ? 1u : 4u);
    // spin's grain is calibrated work, which a quiet moment runs a little faster than nominal.
    EXPECT_GE(metrics["critical_path_seconds"].get<double>(), 10e-6 * static_cast<double>(path));
    if (pattern == "stencil_1d") {
      EXPECT_EQ(metrics["graph_tasks"], 32);
      EXPECT_EQ(metrics["graph_dependencies"], 66);  // (8 × 3 - 2) per step after the first
    }
    if (pattern == "all_to_all") {
      EXPECT_EQ(metrics["graph_dependencies"], 3 * 64);
    }
    if (pattern == "trivial") {
      EXPECT_EQ(metrics["graph_dependencies"], 0);
    }
  }
}

TEST_F(CliGraph, ATaskThatFailsKeepsItsDependentsFromRunning) {
  // Half of two no_comm chains' tasks fail: at least one has a step after it, which never runs.
  Outcome o =
      Run({"run",       "-w",          "spin",     "--grain", "0",
           "--pattern", "no_comm",     "--steps",  "5",       "--width",
           "2",         "--fail-rate", "0.5",      "-e",      "sequential,pool,asio,process",
           "-r",        "1",           "--warmup", "0",       "-q",
           "--json",    Path("r.json")});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  json document = Read("r.json");  // kept: a loop over a temporary's member would dangle
  for (const json& result : document["results"]) {
    SCOPED_TRACE(result["engine"].dump());
    EXPECT_FALSE(result["verified"].get<bool>());
    std::string problems = result["problems"].dump();
    EXPECT_NE(problems.find("failure injected by --fail-rate"), std::string::npos) << problems;
    EXPECT_NE(problems.find("not run: its input task"), std::string::npos) << problems;
  }
}

TEST_F(CliGraph, BadShapesExitTwoNamingTheOptionBeforeAnythingRuns) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"--pattern", "stencil_1d", "--width", "0"}, "--width"},
      {{"--pattern", "stencil_1d", "--steps", "0"}, "--steps"},
      {{"--pattern", "nearest", "--width", "4", "--radix", "9"}, "--radix"},
      {{"--pattern", "spread", "--period", "0"}, "--period"},
      {{"--pattern", "random_nearest", "--fraction", "1.5"}, "--fraction"},
      {{"--pattern", "stencil_1d", "--output-bytes", "8"}, "--output-bytes"},
      {{"--pattern", "stencil_1d", "--tasks", "10"}, "--tasks"},
      {{"--pattern", "ring"}, "--pattern"},
      {{"--steps", "3"}, "--steps: only with --pattern"},
      {{"--pattern", "stencil_1d", "--steps", "100000000", "--width", "100000000"}, "--steps"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"run", "-w", "spin", "--grain", "0", "-e", "pool", "-q"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    Outcome o = Run(args);
    SCOPED_TRACE(o.err);
    EXPECT_EQ(o.exit_code, 2);
    EXPECT_NE(o.err.find(c.says), std::string::npos);
    EXPECT_EQ(o.err.find("Aborted"), std::string::npos);
  }
}

TEST_F(CliGraph, MetgWithAPatternReportsTaskBenchUnits) {
  Outcome o = Run({"metg",       "-e",
                   "pool",       "--pattern",
                   "stencil_1d", "--width",
                   "2",          "--steps",
                   "50",         "--min-grain",
                   "100us",      "--max-grain",
                   "1ms",        "--points-per-decade",
                   "1",          "-r",
                   "1",          "--workers",
                   "2",          "-q",
                   "--json",     Path("m.json")});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("spin on stencil_1d"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("METG (Task Bench)"), std::string::npos) << o.out;
  json document = Read("m.json");
  EXPECT_EQ(document["graph"]["pattern"], "stencil_1d");
  EXPECT_EQ(document["graph"]["width"], 2);
  const json& curve = document["engines"][0]["curve"];
  ASSERT_EQ(curve.size(), 2u);
  for (const json& point : curve) {
    EXPECT_EQ(point["tasks"], 100);
    // Task Bench's granularity is the wall per task per core: never below the grain itself.
    EXPECT_GE(point["granularity"].get<double>(), point["grain"].get<double>() * 0.9);
  }
  EXPECT_TRUE(document["engines"][0].contains("metg_granularity"));

  Outcome tasks = Run({"metg", "-e", "pool", "--pattern", "stencil_1d", "--tasks", "10", "-q"});
  EXPECT_EQ(tasks.exit_code, 2);
  EXPECT_NE(tasks.err.find("--tasks"), std::string::npos) << tasks.err;
  Outcome shape = Run({"metg", "-e", "pool", "--pattern", "spread", "--period", "0", "-q"});
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_NE(shape.err.find("--period"), std::string::npos) << shape.err;
}

}  // namespace
}  // namespace concbench::testing
