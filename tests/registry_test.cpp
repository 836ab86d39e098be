// Every registered workload on every registered engine that accepts it, through the harness:
// a new engine or workload is covered here without editing a test.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "concbench/workload_registry.hpp"
#include "core/measurement.hpp"
#include "core/plan.hpp"
#include "tests/registry_names.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using testing::Defaults;

// Smaller than the defaults, where a workload has the parameter; others run on their defaults.
const std::map<std::string, std::string> kQuick = {
    {"tasks", "4"},
    {"delay", "5ms"},
    {"pause", "1ms"},
    {"latency", "5ms"},
    {"grain", "1ms"},
    {"items", "500"},
    {"numbers", "97,91,1000000007"},
    {"cmd", "true"},
    {"call", "tasks:empty"},
    {"path", CONCBENCH_SOURCE_DIR "/examples/python"}};

class EveryWorkload : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryWorkload, RunsAndVerifiesOnEveryEngineThatAcceptsIt) {
  const WorkloadInfo* info = FindWorkload(GetParam());
  ASSERT_NE(info, nullptr);
  RunSpec spec;
  spec.workloads = {GetParam()};
  for (const ParamSpec& param : info->params) {
    if (auto quick = kQuick.find(param.name); quick != kQuick.end()) {
      spec.values.insert(*quick);
    }
  }
  if (info->params.front().name == "call") {  // pycall: Python functions, on Debian's python3
    spec.engines = {"python"};
    spec.values["python"] = "/usr/bin/python3";
  }
  std::string error;
  std::vector<std::string> skipped;
  std::optional<std::vector<Point>> points = MakePoints({spec}, &error, &skipped);
  ASSERT_TRUE(points) << error;
  ASSERT_FALSE(points->empty()) << "no engine accepts " << GetParam();
  for (Point& point : *points) {
    SCOPED_TRACE(point.label);
    MeasureOptions options;
    options.repetitions = 2;
    options.warmup = 0;
    options.cores = 2;
    std::optional<Result> result =
        MeasurePair(*point.workload, *point.engine, options, std::stop_token());
    ASSERT_TRUE(result);
    EXPECT_EQ(result->workload, GetParam());
    EXPECT_EQ(result->engine, point.engine->name());
    EXPECT_TRUE(result->verified);
    EXPECT_EQ(result->problems, std::vector<std::string>{});
    std::size_t tasks = point.workload->task_count();
    EXPECT_EQ(result->tasks.total, 2 * tasks);
    EXPECT_EQ(result->tasks.completed, 2 * tasks);
    ASSERT_EQ(result->times.size(), 2u);
    // The wall summary is the two repetitions' own.
    auto [shortest, longest] = std::minmax(result->times[0], result->times[1]);
    EXPECT_GT(shortest, 0.0);
    EXPECT_DOUBLE_EQ(result->wall.min, shortest);
    EXPECT_DOUBLE_EQ(result->wall.max, longest);
    EXPECT_DOUBLE_EQ(result->wall.median, (shortest + longest) / 2);
    EXPECT_EQ(result->timeline.size(), tasks);
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryWorkload, ::testing::ValuesIn(testing::WorkloadNames()),
                         testing::TestName);

TEST(Registry, EveryWorkloadIsMadeFromItsDefaults) {
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    // A workload run by name only needs the user's options; the rest are its defaults.
    std::map<std::string, std::string> given;
    if (info.named_only) given = {{"cmd", "true"}, {"call", "tasks:empty"}};
    auto workload = info.make(Defaults(info.params, given));
    EXPECT_EQ(workload->name(), info.name);
    EXPECT_GT(workload->task_count(), 0u);
    EXPECT_EQ(FindWorkload(info.name), &info);
  }
  EXPECT_EQ(FindWorkload("nope"), nullptr);
}

}  // namespace
}  // namespace concbench
