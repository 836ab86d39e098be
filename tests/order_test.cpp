#include "results/order.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/sample_result.hpp"

namespace concbench {
namespace {

using testing::SampleResult;

// Two points (delay=1ms, then delay=2ms) of three engines each, measured in plan order.
std::vector<Result> TwoPoints() {
  std::vector<Result> results;
  for (const char* delay : {"1ms", "2ms"}) {
    for (auto [engine, median] : {std::pair{"thread", 2.0}, {"asio", 3.0}, {"pool", 1.0}}) {
      Result r = SampleResult(engine, median);
      r.sweep = {{"delay", delay}};
      results.push_back(r);
    }
  }
  return results;
}

std::vector<std::string> Engines(const std::vector<Result>& results) {
  std::vector<std::string> names;
  for (const Result& r : results) {
    names.push_back(r.engine + "@" + r.sweep["delay"].get<std::string>());
  }
  return names;
}

TEST(ResultOrder, AutoKeepsThePlansOrder) {
  EXPECT_EQ(Engines(Ordered(TwoPoints(), ResultOrder::kAuto)),
            (std::vector<std::string>{"thread@1ms", "asio@1ms", "pool@1ms", "thread@2ms",
                                      "asio@2ms", "pool@2ms"}));
}

TEST(ResultOrder, NameSortsEnginesWithinEachPoint) {
  EXPECT_EQ(Engines(Ordered(TwoPoints(), ResultOrder::kName)),
            (std::vector<std::string>{"asio@1ms", "pool@1ms", "thread@1ms", "asio@2ms", "pool@2ms",
                                      "thread@2ms"}));
}

TEST(ResultOrder, MedianPutsTheFastestFirstWithinEachPoint) {
  std::vector<Result> results = TwoPoints();
  results[5].wall.median = 9;  // pool is the slowest at 2ms
  EXPECT_EQ(Engines(Ordered(results, ResultOrder::kMedian)),
            (std::vector<std::string>{"pool@1ms", "thread@1ms", "asio@1ms", "thread@2ms",
                                      "asio@2ms", "pool@2ms"}));
}

TEST(ResultOrder, WordsAreParsed) {
  EXPECT_EQ(ParseResultOrder("name"), ResultOrder::kName);
  EXPECT_EQ(ParseResultOrder("median"), ResultOrder::kMedian);
  EXPECT_EQ(ParseResultOrder("auto"), ResultOrder::kAuto);
}

}  // namespace
}  // namespace concbench
