#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "concbench/workload_registry.hpp"
#include "core/plan.hpp"
#include "core/schedule.hpp"
#include "core/sweep.hpp"
#include "engines/registry.hpp"

namespace concbench {
namespace {

std::vector<std::string> Values(const std::string& text) {
  std::string why;
  std::optional<Sweep> sweep = ParseSweep(text, &why);
  EXPECT_TRUE(sweep) << text << ": " << why;
  return sweep ? sweep->values : std::vector<std::string>{};
}

std::string Why(const std::string& text) {
  std::string why;
  EXPECT_FALSE(ParseSweep(text, &why)) << text;
  return why;
}

TEST(Sweep, ListsAndRanges) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Values("tasks=10..100000:x10"), (V{"10", "100", "1000", "10000", "100000"}));
  EXPECT_EQ(Values("workers=1..8:+1"), (V{"1", "2", "3", "4", "5", "6", "7", "8"}));
  EXPECT_EQ(Values("workers=1..10:x3"), (V{"1", "3", "9"}));  // the end is not a step
  EXPECT_EQ(Values("grain=1us..1ms:x10"), (V{"1us", "10us", "100us", "1ms"}));
  EXPECT_EQ(Values("delay=0.5s..2s:+0.5s"), (V{"500ms", "1s", "1500ms", "2s"}));
  EXPECT_EQ(Values("delay=0.1s..0.3s:+0.1s"), (V{"100ms", "200ms", "300ms"}));
  EXPECT_EQ(Values("tasks=10,100,1000"), (V{"10", "100", "1000"}));
  EXPECT_EQ(Values("--tasks=5"), (V{"5"}));
  std::string why;
  EXPECT_EQ(ParseSweep("tasks=1", &why)->name, "tasks");
}

TEST(Sweep, MalformedSpecsSayWhy) {
  EXPECT_NE(Why("tasks").find("is not NAME=VALUES"), std::string::npos);
  EXPECT_NE(Why("=1,2").find("is not NAME=VALUES"), std::string::npos);
  EXPECT_NE(Why("--=1").find("is not NAME=VALUES"), std::string::npos);
  EXPECT_NE(Why("tasks=1..10").find("needs a step"), std::string::npos);
  EXPECT_NE(Why("tasks=1..10:y2").find("x (multiply) or + (add)"), std::string::npos);
  EXPECT_NE(Why("tasks=1..10:x1").find("factor above 1"), std::string::npos);
  EXPECT_NE(Why("tasks=1..10:+0").find("step above 0"), std::string::npos);
  EXPECT_NE(Why("tasks=1,,2").find("empty value"), std::string::npos);
  EXPECT_NE(Why("delay=1ms..10:x2").find("mixes durations"), std::string::npos);
  EXPECT_NE(Why("tasks=a..b:x2").find("neither a number nor a duration"), std::string::npos);
  EXPECT_NE(Why("tasks=1..1000000:+1").find("more than 10000 values"), std::string::npos);
}

// Each of these once looped without end or allocated without bound.
TEST(Sweep, BoundsAndStepsMustBeFiniteAndAdvance) {
  for (const char* spec : {"tasks=nan..10:+1", "tasks=1..nan:+1", "tasks=1..10:+nan",
                           "tasks=1..inf:x2", "tasks=-inf..1:+1", "tasks=1..10:xinf"}) {
    EXPECT_NE(Why(spec).find("is not a finite number"), std::string::npos) << spec;
  }
  EXPECT_NE(Why("tasks=1..2:+1e-300").find("too small to change the values"), std::string::npos);
  EXPECT_NE(Why("tasks=1e20..1e21:+1").find("too small to change the values"), std::string::npos);
  EXPECT_NE(Why("tasks=1..10:+-1").find("step above 0"), std::string::npos);
  EXPECT_NE(Why("tasks=1..10:x0.5").find("factor above 1"), std::string::npos);
  EXPECT_NE(Why("tasks=1..1e300:x1.0000001").find("more than 10000 values"), std::string::npos);
  EXPECT_NE(Why("tasks=1..1e8:+1").find("more than 10000 values"), std::string::npos);
  EXPECT_NE(Why("tasks=1e-300..1e300:+1e290").find("more than 10000 values"), std::string::npos);
  EXPECT_EQ(Values("tasks=1..10000:+1").size(), 10000u);
  EXPECT_EQ(Values("tasks=-3..-1:+1"), (std::vector<std::string>{"-3", "-2", "-1"}));
  std::string list = "tasks=1";
  for (int i = 2; i <= 10001; ++i) list.append(",").append(std::to_string(i));
  EXPECT_NE(Why(list).find("more than 10000 values"), std::string::npos);
}

TEST(Sweep, GridsAreCountedBeforeTheyAreMade) {
  std::string why;
  std::vector<Sweep> sweeps = {*ParseSweep("tasks=1..100:+1", &why),
                               *ParseSweep("workers=1..100:+1", &why)};
  EXPECT_EQ(CheckGridSize(sweeps), "");
  sweeps.push_back({"delay", {"1ms", "2ms"}});
  EXPECT_EQ(CheckGridSize(sweeps), "the grid has more than 10000 points");
  std::vector<Sweep> huge(8, Sweep{"tasks", std::vector<std::string>(10000, "1")});
  EXPECT_EQ(CheckGridSize(huge), "the grid has more than 10000 points");  // no overflow
  EXPECT_EQ(CheckGridSize({}), "");
}

TEST(Sweep, GridVariesTheLastSweepFastest) {
  auto grid = SweepGrid({{"tasks", {"1", "2"}}, {"workers", {"a", "b", "c"}}});
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(grid[0].at("tasks"), "1");
  EXPECT_EQ(grid[0].at("workers"), "a");
  EXPECT_EQ(grid[1].at("workers"), "b");
  EXPECT_EQ(grid[3].at("tasks"), "2");
  EXPECT_EQ(SweepGrid({}).size(), 1u);
}

TEST(Plan, RepetitionsFollowMinTimeWithinBounds) {
  RepetitionPolicy policy;
  policy.min_runs = 5;
  EXPECT_EQ(policy.RunsFor(0.1), 5u);
  policy.min_time_s = 3;
  EXPECT_EQ(policy.RunsFor(0.1), 30u);
  EXPECT_EQ(policy.RunsFor(10), 5u);
  policy.max_runs = 12;
  EXPECT_EQ(policy.RunsFor(0.1), 12u);
}

TEST(Plan, SweepsOnlyMultiplyThePointsTheyApplyTo) {
  RunSpec spec;
  spec.workloads = {"sleep"};
  spec.engines = {"sequential", "pool"};
  spec.values = {{"delay", "1ms"}};
  spec.sweeps = {{"workers", {"1", "2", "4"}}};
  std::string error;
  std::vector<std::string> skipped;
  auto points = MakePoints({spec}, &error, &skipped);
  ASSERT_TRUE(points) << error;
  // sequential has no --workers: once; pool: once per value.
  ASSERT_EQ(points->size(), 4u);
  EXPECT_EQ((*points)[0].label, "sleep on sequential");
  EXPECT_EQ((*points)[3].label, "sleep on pool (workers=4)");
  spec.values["numbers"] = "7";
  EXPECT_FALSE(MakePoints({spec}, &error, &skipped));
  EXPECT_NE(error.find("--numbers: does not apply"), std::string::npos) << error;
}

TEST(Plan, AStopEndsPlanningBeforeTheNextPoint) {
  RunSpec spec;
  spec.workloads = {"sleep"};
  spec.engines = {"sequential"};
  spec.sweeps = {{"tasks", {"1", "2", "3"}}};
  std::string error;
  std::vector<std::string> skipped;
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(MakePoints({spec}, &error, &skipped, stop.get_token()));
  EXPECT_EQ(error, "");
  EXPECT_TRUE(MakePoints({spec}, &error, &skipped, std::stop_token()));
}

// Logs which workload each run began, to see the order of repetitions.
class OrderWorkload : public Workload {
 public:
  OrderWorkload(char id, std::string* log) : id_(id), log_(log) {}
  std::string_view name() const override { return "order"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return 1; }
  std::string run_blocking(std::size_t, std::stop_token) const override { return "ok"; }
  std::string check(std::size_t, const TaskRecord&) const override { return ""; }
  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }
  nlohmann::json parameters() const override { return nlohmann::json::object(); }
  void begin_run() const override { *log_ += id_; }

 private:
  char id_;
  std::string* log_;
};

std::string RunOrder(bool interleave) {
  std::string log;
  RunSpec spec;
  spec.policy.warmup = 1;
  spec.policy.min_runs = 3;
  spec.policy.max_runs = 3;
  std::vector<Point> points;
  for (char id : {'A', 'B'}) {
    Point point;
    point.workload = std::make_shared<OrderWorkload>(id, &log);
    point.engine = FindEngine("sequential")->make(Params());
    points.push_back(std::move(point));
  }
  std::vector<RunSpec> specs = {spec};
  Schedule schedule(points, specs, interleave, 1);
  int updates = 0;
  EXPECT_TRUE(schedule.Run(
      std::stop_token(), [](const Progress&) {}, [&] { ++updates; }));
  EXPECT_GE(updates, 2);
  std::vector<Result> results = schedule.Results();
  EXPECT_EQ(results.size(), 2u);
  for (const Result& r : results) EXPECT_EQ(r.times.size(), 3u);
  return log;
}

TEST(Plan, APairThatCannotRunIsSkippedWithANoteUnlessBothWereNamed) {
  RunSpec spec;
  spec.workloads = {"queue"};
  spec.engines = {"all"};
  std::string error;
  std::vector<std::string> skipped;
  auto points = MakePoints({spec}, &error, &skipped);
  ASSERT_TRUE(points) << error;
  EXPECT_EQ(std::count_if(skipped.begin(), skipped.end(),
                          [](const std::string& note) {
                            return note.starts_with("queue cannot run on process: ");
                          }),
            1);
  auto in_all = std::count_if(EngineRegistry().begin(), EngineRegistry().end(),
                              [](const EngineInfo& info) { return !info.named_only; });
  EXPECT_EQ(static_cast<std::ptrdiff_t>(points->size() + skipped.size()), in_all);
  for (const Point& point : *points) EXPECT_NE(point.engine->name(), "process");
  spec.engines = {"process"};
  skipped.clear();
  EXPECT_FALSE(MakePoints({spec}, &error, &skipped));
  EXPECT_TRUE(error.starts_with("--engine: queue cannot run on process: ")) << error;
  EXPECT_TRUE(skipped.empty());
}

TEST(Schedule, InterleavesRepetitionsByDefault) {
  // Each point's warmup and first repetition, then rounds of the others.
  EXPECT_EQ(RunOrder(true), "AABBABAB");
  EXPECT_EQ(RunOrder(false), "AAAABBBB");
}

TEST(Schedule, AStopKeepsWhatWasMeasuredAndSaysItIsIncomplete) {
  std::string log;
  RunSpec spec;
  spec.policy.warmup = 0;
  spec.policy.min_runs = 5;
  spec.policy.max_runs = 5;
  std::vector<Point> points(1);
  points[0].workload = std::make_shared<OrderWorkload>('A', &log);
  points[0].engine = FindEngine("sequential")->make(Params());
  std::vector<RunSpec> specs = {spec};
  Schedule schedule(points, specs, true, 1);
  std::stop_source stop;
  int round = 0;
  EXPECT_FALSE(schedule.Run(
      stop.get_token(),
      [&](const Progress&) {
        if (++round == 3) stop.request_stop();
      },
      [] {}));
  std::vector<Result> results = schedule.Results();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].verified);
  EXPECT_EQ(results[0].problems.front(), "incomplete: 2 of 5 repetitions");
}

// A sweep stopped while its second point warms up keeps the first point's measured run.
TEST(Schedule, AStopAfterTheFirstPointKeepsThatPoint) {
  std::string log;
  RunSpec spec;
  spec.policy.warmup = 1;
  spec.policy.min_runs = 3;
  spec.policy.max_runs = 3;
  std::vector<Point> points;
  for (char id : {'A', 'B'}) {
    Point point;
    point.workload = std::make_shared<OrderWorkload>(id, &log);
    point.engine = FindEngine("sequential")->make(Params());
    point.label = std::string(1, id);
    points.push_back(std::move(point));
  }
  std::vector<RunSpec> specs = {spec};
  Schedule schedule(points, specs, true, 1);
  std::stop_source stop;
  EXPECT_FALSE(schedule.Run(
      stop.get_token(),
      [&](const Progress& now) {
        if (now.label == "B" && now.step.starts_with("warmup")) stop.request_stop();
      },
      [] {}));
  std::vector<Result> results = schedule.Results();
  ASSERT_EQ(results.size(), 1u) << log;
  EXPECT_EQ(results[0].workload, "order");
  EXPECT_EQ(results[0].times.size(), 1u);
  EXPECT_EQ(results[0].problems.front(), "incomplete: 1 of 3 repetitions");
}

}  // namespace
}  // namespace concbench

namespace concbench {
namespace {

// Parameters of several plugins share one command-line option, so they must agree on its type;
// their defaults may differ, and ParamDefaults names each plugin's.
TEST(Plan, ParametersSharingANameAgreeOnTypeAndKeepEachDefault) {
  std::map<std::string, std::vector<ParamSpec>> by_name;
  std::map<std::string, std::size_t> plugins;
  auto add = [&](const std::vector<ParamSpec>& specs) {
    for (const ParamSpec& spec : specs) {
      by_name[spec.name].push_back(spec);
      ++plugins[spec.name];
    }
  };
  for (const WorkloadInfo& info : WorkloadRegistry()) add(info.params);
  for (const EngineInfo& info : EngineRegistry()) add(info.params);
  for (const auto& [name, specs] : by_name) {
    SCOPED_TRACE(name);
    for (const ParamSpec& spec : specs) EXPECT_EQ(spec.type, specs.front().type);
    std::size_t counted = 0;
    for (const ParamDefault& d : ParamDefaults(name)) counted += d.plugins.size();
    EXPECT_EQ(counted, plugins[name]);
  }
  std::vector<ParamDefault> size = ParamDefaults("size");
  ASSERT_EQ(size.size(), 2u);
  EXPECT_EQ(size[0].value, "1024");
  EXPECT_EQ(size[0].plugins, std::vector<std::string>{"http"});
  EXPECT_EQ(size[1].value, "65536");
  EXPECT_EQ(size[1].plugins, std::vector<std::string>{"file"});
}

}  // namespace
}  // namespace concbench
