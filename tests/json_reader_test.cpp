#include "core/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/files.hpp"
#include "core/suite.hpp"

namespace concbench {
namespace {

std::string Nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string Why(std::string_view text) {
  std::string error;
  EXPECT_FALSE(ParseJsonText(text, "f.json", &error)) << text.substr(0, 80);
  return error;
}

TEST(JsonReader, ReadsDocumentsUpToTheDepthBound) {
  std::string error;
  std::optional<nlohmann::json> doc = ParseJsonText(R"({"a": [1, 2.5, "x"]})", "f.json", &error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ((*doc)["a"][1], 2.5);
  EXPECT_TRUE(ParseJsonText(Nested(kMaxJsonDepth), "f.json", &error)) << error;
}

TEST(JsonReader, RefusesDeepNestingWithItsPlace) {
  EXPECT_EQ(Why(Nested(kMaxJsonDepth + 1)),
            "f.json: line 1, column 257: nested deeper than 256 levels");
  // Deep enough to overflow the stack of a recursive parser.
  EXPECT_NE(Why(Nested(1'000'000)).find("nested deeper than 256 levels"), std::string::npos);
  EXPECT_NE(Why("{\"a\":\n" + std::string(300, '{')).find("line 2, column 256"), std::string::npos);
}

TEST(JsonReader, BracketsInStringsDoNotCount) {
  std::string error;
  std::string text = "[\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"]";
  EXPECT_TRUE(ParseJsonText(text, "f.json", &error)) << error;
}

TEST(JsonReader, RefusesNumbersBeyondADouble) {
  EXPECT_EQ(Why("{\"a\": [1,\n  1e400]}"),
            "f.json: line 2, column 3: the number 1e400 is beyond the range of a double");
  EXPECT_NE(Why("-1e999").find("the number -1e999 is beyond"), std::string::npos);
}

TEST(JsonReader, SyntaxErrorsNameTheFileAndPlace) {
  std::string why = Why("{\"a\": }");
  EXPECT_EQ(why.rfind("f.json: not valid JSON: parse error at line 1, column 7", 0), 0u) << why;
  EXPECT_NE(Why("").find("f.json: not valid JSON"), std::string::npos);
}

TEST(JsonReader, ResultsAndSuitesAreReadFromText) {
  std::string error;
  EXPECT_FALSE(ResultsFromText(Nested(100'000), "r.json", Metric::kWall, &error));
  EXPECT_NE(error.find("r.json: line 1, column 257: nested deeper"), std::string::npos) << error;
  EXPECT_FALSE(ResultsFromText(R"({"schema": "concbench/1", "results": [{"x": 1e400}]})", "r.json",
                               Metric::kWall, &error));
  EXPECT_NE(error.find("r.json: line 1, column 45: the number 1e400"), std::string::npos) << error;
  EXPECT_FALSE(ResultsFromText("[1]", "r.json", Metric::kWall, &error));
  EXPECT_NE(error.find("r.json: not a concbench results file"), std::string::npos) << error;

  EXPECT_FALSE(ParseSuite("{\"runs\": " + Nested(100'000) + "}", "s.json", {}, {}, &error));
  EXPECT_NE(error.find("s.json: line 1, column 265: nested deeper"), std::string::npos) << error;
  EXPECT_FALSE(ParseSuite(R"({"time_scale": 1e400, "runs": []})", "s.json", {}, {}, &error));
  EXPECT_NE(error.find("s.json: line 1, column 16: the number 1e400"), std::string::npos) << error;
  std::optional<Suite> suite =
      ParseSuite(R"({"runs": [{"workload": "sleep"}]})", "s.json", {}, {}, &error);
  ASSERT_TRUE(suite) << error;
  EXPECT_EQ(suite->path, "s.json");
}

TEST(JsonReader, SuiteFiguresAndScalesMustBeUsable) {
  std::string error;
  EXPECT_FALSE(ParseSuite(R"({"time_scale": 1e300, "runs": [{"workload": "sleep"}]})", "s.json", {},
                          {}, &error));
  EXPECT_NE(error.find("s.json: time_scale: must be a number above 0"), std::string::npos) << error;
  EXPECT_FALSE(ParseSuite(R"({"runs": [{"workload": "sleep", "sweep": {"tasks": "1..1e9:+1"}}]})",
                          "s.json", {}, {}, &error));
  EXPECT_NE(error.find("runs[0].sweep.tasks: '1..1e9:+1' has more than 10000 values"),
            std::string::npos)
      << error;
  EXPECT_FALSE(ParseSuite(R"({"runs": [{"workload": "sleep",
      "sweep": {"tasks": "1..200:+1", "workers": "1..100:+1"}}]})",
                          "s.json", {}, {}, &error));
  EXPECT_NE(error.find("runs[0].sweep: the grid has more than 10000 points"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace concbench
