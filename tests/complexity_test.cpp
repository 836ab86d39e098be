#include "results/complexity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "reports/gbench.hpp"
#include "reports/table.hpp"

namespace concbench {
namespace {

// (N, c × f(N) × (1 + noise)) at N = 8, 16, ..., 1024; the noise alternates ±`noise`, a few %.
std::vector<std::pair<double, double>> Synthetic(BigO order, double c, double noise) {
  std::vector<std::pair<double, double>> points;
  int sign = 1;
  for (double n = 8; n <= 1024; n *= 2) {
    points.emplace_back(n, c * BigOCurve(order, n) * (1 + sign * noise));
    sign = -sign;
  }
  return points;
}

class ComplexityOrders : public ::testing::TestWithParam<BigO> {};

// Each order is recognised from its own curve, exactly and with ±3% noise, with its coefficient.
TEST_P(ComplexityOrders, PicksTheOrderAndCoefficientOfItsCurve) {
  const double c = 2.5e-6;
  for (double noise : {0.0, 0.03}) {
    std::optional<ComplexityFit> fit = FitComplexity(Synthetic(GetParam(), c, noise));
    ASSERT_TRUE(fit.has_value());
    EXPECT_EQ(fit->best.order, GetParam())
        << "noise " << noise << ": chose " << BigOText(fit->best.order);
    EXPECT_NEAR(fit->best.coefficient, c, c * 0.05) << "noise " << noise;
    if (noise == 0) {
      EXPECT_NEAR(fit->best.rms, 0, 1e-9);
    }
    ASSERT_EQ(fit->orders.size(), std::size(kAllOrders));
    for (const OrderFit& other : fit->orders) EXPECT_GE(other.rms, fit->best.rms);
  }
}

INSTANTIATE_TEST_SUITE_P(Each, ComplexityOrders, ::testing::ValuesIn(kAllOrders),
                         [](const auto& order) { return std::string(BigOWord(order.param)); });

TEST(ComplexityFitting, AnExactLineHasNoResidual) {
  std::optional<ComplexityFit> fit = FitComplexity({{1, 0.002}, {2, 0.004}, {4, 0.008}});
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->best.order, BigO::kN);
  EXPECT_DOUBLE_EQ(fit->best.coefficient, 0.002);
  EXPECT_NEAR(fit->best.rms, 0, 1e-12);
  // O(1) through the same points: the coefficient is Σt/n, RMS relative to the mean.
  const OrderFit& constant = fit->orders[0];
  EXPECT_NEAR(constant.coefficient, 0.014 / 3, 1e-12);
  double mean = 0.014 / 3;
  double rms =
      std::sqrt(
          (std::pow(0.002 - mean, 2) + std::pow(0.004 - mean, 2) + std::pow(0.008 - mean, 2)) / 3) /
      mean;
  EXPECT_NEAR(constant.rms, rms, 1e-12);
}

TEST(ComplexityFitting, FewerThanThreeDistinctSizesFitNothing) {
  EXPECT_FALSE(FitComplexity({}).has_value());
  EXPECT_FALSE(FitComplexity({{10, 1.0}, {100, 10.0}}).has_value());
  EXPECT_FALSE(FitComplexity({{10, 1.0}, {10, 1.1}, {100, 10.0}, {100, 9.0}}).has_value());
  // N ≤ 0 (no log) and times that are not finite are left out before counting.
  EXPECT_FALSE(FitComplexity({{0, 1.0}, {-4, 1.0}, {10, 1.0}, {20, NAN}, {30, 3.0}}).has_value());
  EXPECT_TRUE(FitComplexity({{10, 1.0}, {20, 2.0}, {30, 3.0}}).has_value());
}

TEST(ComplexityFitting, AForcedOrderIsKeptEvenWhenAnotherFitsBetter) {
  std::optional<ComplexityFit> fit = FitComplexity(Synthetic(BigO::kN2, 1e-9, 0), BigO::kN);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->best.order, BigO::kN);
  EXPECT_GT(fit->best.rms, 0.1);
}

TEST(ComplexityFitting, WordsNameEachOrder) {
  for (BigO order : kAllOrders) EXPECT_EQ(ParseBigO(BigOWord(order)), order);
  EXPECT_FALSE(ParseBigO("n^2").has_value());
  EXPECT_EQ(BigOGbench(BigO::kNLogN), "NlgN");
  EXPECT_EQ(BigOGbench(BigO::kOne), "(1)");
  EXPECT_EQ(BigOText(BigO::kN2), "O(N²)");
}

TEST(ComplexityParameterChoice, TheSingleNumericSweepOrTheOneNamed) {
  std::string error;
  std::vector<nlohmann::json> one = {{{"tasks", "10"}}, {{"tasks", "100"}}, {{"tasks", "1000"}}};
  EXPECT_EQ(ComplexityParameter(one, {}, &error), "tasks");
  std::vector<nlohmann::json> grid = {{{"tasks", "10"}, {"size", "1KiB"}},
                                      {{"tasks", "20"}, {"size", "2KiB"}}};
  EXPECT_EQ(ComplexityParameter(grid, {}, &error), "");  // auto: ambiguous, silently none
  EXPECT_EQ(error, "");
  EXPECT_EQ(ComplexityParameter(grid, {.parameter = "size"}, &error), "size");
  EXPECT_EQ(ComplexityParameter(grid, {.mode = "none", .parameter = "size"}, &error), "");
  EXPECT_EQ(ComplexityParameter(grid, {.mode = "N"}, &error), "");
  EXPECT_NE(error.find("--complexity N: several parameters"), std::string::npos) << error;
  error.clear();
  ComplexityParameter(one, {.parameter = "workers"}, &error);
  EXPECT_NE(error.find("--complexity-of: workers is not swept"), std::string::npos) << error;
  error.clear();
  // A duration is not a size; nothing swept over numbers and an order asked for is an error.
  std::vector<nlohmann::json> grains = {{{"grain", "1ms"}}, {{"grain", "2ms"}}};
  EXPECT_EQ(ComplexityParameter(grains, {}, &error), "");
  EXPECT_EQ(error, "");
  ComplexityParameter(grains, {.mode = "NlogN"}, &error);
  EXPECT_NE(error.find("--complexity NlogN: no parameter"), std::string::npos) << error;
}

Result Point(const std::string& engine, int tasks, double seconds, bool verified = true) {
  Result r;
  r.workload = "spin";
  r.engine = engine;
  r.workload_parameters = {{"tasks", tasks}, {"grain", "1ms"}};
  r.engine_parameters = nlohmann::json::object();
  r.given_parameters = std::set<std::string>{"tasks", "grain"};
  r.sweep = {{"tasks", std::to_string(tasks)}};
  r.times = {seconds};
  r.wall.median = seconds;
  r.cpu.median = seconds / 2;
  r.verified = verified;
  return r;
}

// A group per engine; one with two points only, or whose third point failed, fits nothing.
TEST(ComplexityGroups, OneFitPerEngineWithThreeVerifiedPoints) {
  std::vector<Result> results;
  for (int tasks : {10, 100, 1000}) {
    results.push_back(Point("sequential", tasks, 0.001 * tasks));
    results.push_back(Point("pool", tasks, 0.0005 * tasks * tasks, tasks != 1000));
  }
  results.push_back(Point("thread", 10, 1));
  results.push_back(Point("thread", 100, 1));
  std::vector<ComplexityGroup> groups = FitGroups(results, "tasks", std::nullopt);
  ASSERT_EQ(groups.size(), 1u);
  const ComplexityGroup& g = groups[0];
  EXPECT_EQ(g.engine, "sequential");
  EXPECT_EQ(g.name, "spin/sequential/grain:1ms");
  EXPECT_EQ(g.n, (std::vector<double>{10, 100, 1000}));
  EXPECT_EQ(g.real.best.order, BigO::kN);
  EXPECT_NEAR(g.real.best.coefficient, 0.001, 1e-12);
  ASSERT_TRUE(g.cpu.has_value());
  EXPECT_NEAR(g.cpu->best.coefficient, 0.0005, 1e-12);

  nlohmann::json json = ComplexityToJson(groups);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["order"], "N");
  EXPECT_EQ(json[0]["parameter"], "tasks");
  EXPECT_EQ(json[0]["n_points"], 3);
  EXPECT_EQ(json[0]["fits"].size(), 6u);
  EXPECT_NEAR(json[0]["coefficient_s"].get<double>(), 0.001, 1e-12);

  std::ostringstream table;
  WriteComplexity(table, groups);
  EXPECT_NE(table.str().find("spin on sequential over tasks: 1.00 ms·N (O(N)), RMS 0 %"),
            std::string::npos)
      << table.str();
}

// google/benchmark's two aggregates, with the fields its JSON reporter writes.
TEST(ComplexityGroups, GbenchHasBigOAndRmsEntries) {
  std::vector<Result> results;
  for (int tasks : {10, 100, 1000}) results.push_back(Point("sequential", tasks, 0.001 * tasks));
  std::ostringstream out;
  WriteGbench(out, Context{}, results, FitGroups(results, "tasks", std::nullopt));
  nlohmann::json benchmarks = nlohmann::json::parse(out.str())["benchmarks"];
  ASSERT_GE(benchmarks.size(), 2u);
  const nlohmann::json& big_o = benchmarks[benchmarks.size() - 2];
  const nlohmann::json& rms = benchmarks.back();
  EXPECT_EQ(big_o["name"], "spin/sequential/grain:1ms_BigO");
  EXPECT_EQ(big_o["run_name"], "spin/sequential/grain:1ms");
  EXPECT_EQ(big_o["run_type"], "aggregate");
  EXPECT_EQ(big_o["aggregate_name"], "BigO");
  EXPECT_EQ(big_o["big_o"], "N");
  EXPECT_NEAR(big_o["real_coefficient"].get<double>(), 1e6, 1e-3);  // ns
  EXPECT_NEAR(big_o["cpu_coefficient"].get<double>(), 5e5, 1e-3);
  EXPECT_EQ(big_o["time_unit"], "ns");
  EXPECT_FALSE(big_o.contains("real_time"));  // compare.py leaves it out of its pairs
  EXPECT_EQ(rms["name"], "spin/sequential/grain:1ms_RMS");
  EXPECT_EQ(rms["aggregate_name"], "RMS");
  EXPECT_EQ(rms["aggregate_unit"], "percentage");
  EXPECT_NEAR(rms["rms"].get<double>(), 0, 1e-9);
}

}  // namespace
}  // namespace concbench
