#include "core/suite.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace concbench {
namespace {

// A list given to a repeatable option (exec's --env, --var) keeps each item whole, commas too.
TEST(Suite, AListForARepeatableOptionKeepsEachItem) {
  std::string path = ::testing::TempDir() + "exec_suite.json";
  std::ofstream(path) << R"({"runs": [{"name": "mine", "workload": "exec", "engines": "pool",
    "parameters": {"cmd": "echo {pages}", "env": ["A=1", "B=2,3"], "var": ["pages=1"],
                   "tasks": 3},
    "sweep": {"pages": "1,2"}}]})";
  std::string error;
  std::optional<Suite> suite = LoadSuite(path, std::nullopt, {}, &error);
  ASSERT_TRUE(suite) << error;
  ASSERT_EQ(suite->runs.size(), 1u);
  const RunSpec& run = suite->runs[0];
  EXPECT_EQ(run.values.at("env"), "A=1\nB=2,3");
  EXPECT_EQ(run.values.at("var"), "pages=1");
  std::vector<std::string> skipped;
  std::optional<std::vector<Point>> points = MakePoints(suite->runs, &error, &skipped);
  ASSERT_TRUE(points) << error;
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ((*points)[1].swept.at("pages"), "2");
  EXPECT_EQ((*points)[1].workload->parameters()["var"]["pages"], "2");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace concbench
