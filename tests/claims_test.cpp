#include "core/claims.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/suite.hpp"
#include "golden_results.hpp"
#include "reports/json.hpp"

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
