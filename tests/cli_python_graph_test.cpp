// `run --pattern` on the Python engines through the real binary, on Debian's interpreter: each
// model runs a graph verified with the same counts and critical path as C++ sequential, and a
// sweep of patterns runs verified on the pool and the event loop.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

using nlohmann::json;
const std::string kPython = "/usr/bin/python3";

class CliPythonGraph : public Cli {
 protected:
  std::string Json() { return (dir_ / "r.json").string(); }
  json Results() { return json::parse(ReadAll(dir_ / "r.json"))["results"]; }
};

TEST_F(CliPythonGraph, EveryPythonModelRunsAStencilVerifiedWithTheCppCounts) {
  Outcome o = Run({"run",
                   "-w",
                   "spin",
                   "--grain",
                   "100us",
                   "--pattern",
                   "stencil_1d",
                   "--steps",
                   "4",
                   "--width",
                   "4",
                   "-e",
                   "sequential,py-sequential,py-thread,py-pool,py-process,py-asyncio,py-uvloop",
                   "--python",
                   kPython,
                   "-r",
                   "1",
                   "--warmup",
                   "0",
                   "-q",
                   "--json",
                   Json()});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  json results = Results();
  ASSERT_EQ(results.size(), 7u);
  const json& cpp = results[0]["metrics"];
  EXPECT_EQ(cpp["graph_tasks"], 16);
  EXPECT_EQ(cpp["graph_dependencies"], 30);  // (4 × 3 - 2) per step after the first
  EXPECT_EQ(cpp["critical_path_tasks"], 4);
  for (const json& result : results) {
    SCOPED_TRACE(result["engine"].dump());
    EXPECT_TRUE(result["verified"].get<bool>()) << result["unverified_reason"];
    for (const char* metric : {"graph_tasks", "graph_dependencies", "critical_path_tasks"}) {
      EXPECT_EQ(result["metrics"][metric], cpp[metric]) << metric;
    }
    EXPECT_EQ(result["settings"]["pattern"], "stencil_1d");
  }
}

TEST_F(CliPythonGraph, PatternsRunVerifiedOnThePoolAndTheEventLoop) {
  Outcome o = Run({"run",
                   "-w",
                   "spin",
                   "--grain",
                   "50us",
                   "--sweep",
                   "pattern=no_comm,fft,all_to_all,random_nearest",
                   "--steps",
                   "4",
                   "--width",
                   "4",
                   "-e",
                   "py-pool,py-asyncio",
                   "--python",
                   kPython,
                   "-r",
                   "1",
                   "--warmup",
                   "0",
                   "-q",
                   "--json",
                   Json()});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  json results = Results();
  ASSERT_EQ(results.size(), 8u);
  std::map<std::string, json> dependencies;  // the same graph on both engines
  for (const json& result : results) {
    SCOPED_TRACE(result["engine"].dump() + " " + result["parameters"].dump());
    EXPECT_TRUE(result["verified"].get<bool>()) << result["unverified_reason"];
    EXPECT_EQ(result["metrics"]["graph_tasks"], 16);
    std::string pattern = result["parameters"]["pattern"];
    json edges = result["metrics"]["graph_dependencies"];
    auto [kept, fresh] = dependencies.emplace(pattern, edges);
    if (!fresh) {
      EXPECT_EQ(kept->second, edges);
    }
  }
  EXPECT_EQ(dependencies.size(), 4u);
  EXPECT_EQ(dependencies["no_comm"], 12);
  EXPECT_EQ(dependencies["all_to_all"], 48);
}

}  // namespace
}  // namespace concbench::testing
