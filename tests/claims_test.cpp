#include "core/claims.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/suite.hpp"
#include "golden_results.hpp"
#include "results/json.hpp"

namespace concbench {
namespace {

// The value at dot path `path` of `object`, or null.
nlohmann::json At(const nlohmann::json& object, const std::string& path) {
  const nlohmann::json* at = &object;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = std::min(path.find('.', begin), path.size());
    std::string key = path.substr(begin, end - begin);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    begin = end + 1;
  }
  return *at;
}

// Every figure a claim can name is the number the results file holds at the same path, so a
// renamed JSON field cannot silently turn a claim into "missing".
TEST(Claims, EveryFigureIsTheResultsFilesValueAtItsPath) {
  for (const Result& result : testing::GoldenResults()) {
    nlohmann::json json = ResultToJson(result);
    for (const std::string& path : FigurePaths()) {
      if (path == "metrics.NAME") continue;
      SCOPED_TRACE(path);
      nlohmann::json expected = At(json, path);
      std::optional<double> figure = ResultFigure(result, path);
      if (expected.is_null()) {
        EXPECT_FALSE(figure.has_value());
        continue;
      }
      ASSERT_TRUE(figure.has_value());
      double value =
          expected.is_boolean() ? (expected.get<bool>() ? 1.0 : 0.0) : expected.get<double>();
      EXPECT_DOUBLE_EQ(*figure, value);
    }
  }
}

// A result in which no task completed, as Measurement concludes it after a deadline.
Result NothingCompleted(const std::string& run, const std::string& engine) {
  Result r;
  r.run = run;
  r.workload = "sleep";
  r.engine = engine;
  r.tasks = {.total = 1, .completed = 0, .failed = 0, .cancelled = 1, .pending = 0};
  r.verified = false;
  r.unverified_reason =
      "no task completed before the deadline (--timeout 500ms): nothing was measured";
  r.problems = {r.unverified_reason};
  return r;
}

TEST(Claims, NothingCompletedPassesOnlyWhereTheRunClaimsIt) {
  RunSpec claimed;
  claimed.name = "wait-for";
  Expectation none_completed;
  none_completed.engine = "asio";
  none_completed.metric = "tasks.completed";
  none_completed.value = 0.0;
  Expectation verified;
  verified.metric = "verified";
  verified.value = 1.0;
  claimed.expect = {none_completed, verified};
  RunSpec silent;
  silent.name = "plain";
  Expectation cancelled;
  cancelled.metric = "tasks.cancelled";
  cancelled.value = 1.0;
  silent.expect = {cancelled};
  std::vector<Result> results = {NothingCompleted("wait-for", "asio"),
                                 NothingCompleted("wait-for", "thread"),
                                 NothingCompleted("plain", "asio")};
  AcceptClaimedNothingCompleted({claimed, silent}, results);
  EXPECT_TRUE(results[0].verified);
  EXPECT_EQ(results[0].unverified_reason, "");
  EXPECT_EQ(results[0].problems[0],
            "note: no task completed before the deadline (--timeout 500ms), as the run claims");
  EXPECT_FALSE(results[1].verified);  // the claim names asio only
  EXPECT_FALSE(results[2].verified);  // its run claims nothing about completions
  std::vector<ExpectationOutcome> outcomes = CheckExpectations({claimed, silent}, results);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_TRUE(outcomes[1].passed);   // asio: verified
  EXPECT_FALSE(outcomes[2].passed);  // thread: not verified
  // A task that failed is a failure, claim or not.
  std::vector<Result> failed = {NothingCompleted("wait-for", "asio")};
  failed[0].tasks.failed = 1;
  AcceptClaimedNothingCompleted({claimed}, failed);
  EXPECT_FALSE(failed[0].verified);
}

TEST(Claims, MetricsAreTheWorkloadsOwnNumbers) {
  Result result;
  result.metrics = {{"final", 2}, {"io", "blocking"}, {"ok", true}};
  EXPECT_EQ(ResultFigure(result, "metrics.final"), 2.0);
  EXPECT_EQ(ResultFigure(result, "metrics.ok"), 1.0);
  EXPECT_FALSE(ResultFigure(result, "metrics.io").has_value());
  EXPECT_FALSE(ResultFigure(result, "metrics.absent").has_value());
}

TEST(Claims, UnknownPathsAreNotFigures) {
  EXPECT_TRUE(IsFigure("median"));
  EXPECT_TRUE(IsFigure("tasks.pending"));
  EXPECT_TRUE(IsFigure("metrics.final"));
  EXPECT_FALSE(IsFigure("metrics."));
  EXPECT_FALSE(IsFigure("medain"));
  EXPECT_FALSE(IsFigure("tasks"));
  EXPECT_FALSE(ResultFigure(Result{}, "medain").has_value());
}

TEST(Claims, ASuiteClaimOnAnUnknownFigureIsRejectedWhenRead) {
  std::string path = ::testing::TempDir() + "figures_suite.json";
  std::ofstream(path) << R"({"runs": [{"name": "a", "workload": "sleep",
    "expect": [{"metric": "medain", "value": "1s"}]}]})";
  std::string error;
  EXPECT_FALSE(LoadSuite(path, std::nullopt, {}, &error).has_value());
  EXPECT_NE(error.find("runs[0].expect[0].metric: 'medain' is not a figure"), std::string::npos)
      << error;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace concbench
