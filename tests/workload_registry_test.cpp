// RegisterWorkload and CONCBENCH_WORKLOAD: a workload of a program's own joins the table as the
// shipped ones are in it; a registration that cannot be honoured is an error kept for Main, not
// an abort. The registry-driven tests (registry_test.cpp) also run `echo` on every engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "concbench/registration.hpp"
#include "concbench/workload_registry.hpp"
#include "core/plan.hpp"
#include "core/registry_check.hpp"
#include "tests/fake_workload.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

// A workload as a program of its own writes one: each task waits --echo-delay, then answers.
class EchoWorkload : public Workload {
 public:
  static std::vector<ParamSpec> ParamSpecs() {
    return {{"tasks", ParamType::kCount, "3", "number of tasks"},
            {"echo-delay", ParamType::kDuration, "1ms", "echo: each task's wait"}};
  }
  explicit EchoWorkload(const Params& params)
      : tasks_(params.count("tasks")), delay_(params.duration("echo-delay")) {}

  std::string_view name() const override { return "echo"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return tasks_; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    SleepBlocking(delay_, stop);
    return Answer(index);
  }
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    co_await SleepAsync(delay_, std::move(stop));
    co_return Answer(index);
  }
  std::string check(std::size_t index, const TaskRecord& record) const override {
    if (record.result != Answer(index)) return "answered '" + record.result + "'";
    return record.end - record.start >= delay_ ? "" : "did not wait its delay";
  }
  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned /*cores*/) const override {
    std::vector<double> waits(records.size(), std::chrono::duration<double>(delay_).count());
    return FloorSeconds(waits, lanes);
  }
  nlohmann::json parameters() const override {
    return {{"tasks", tasks_}, {"echo-delay", FormatDuration(delay_)}};
  }

 private:
  static std::string Answer(std::size_t index) { return "echo " + std::to_string(index); }

  std::size_t tasks_;
  Duration delay_;
};

static_assert(RegistrableWorkload<EchoWorkload>);
static_assert(!RegistrableWorkload<testing::FakeWorkload>);  // no ParamSpecs, no Params ctor

CONCBENCH_WORKLOAD(EchoWorkload, "echo", "test: each task waits --echo-delay, then answers");

std::vector<std::string> Names(const std::vector<ParamSpec>& specs) {
  std::vector<std::string> names;
  for (const ParamSpec& spec : specs) names.push_back(spec.name);
  return names;
}

TEST(WorkloadRegistry, ARegisteredWorkloadFollowsTheShippedOnesWithTheGraphAndFailureParameters) {
  const WorkloadInfo* echo = FindWorkload("echo");
  ASSERT_NE(echo, nullptr);
  EXPECT_GT(echo - WorkloadRegistry().data(), FindWorkload("spin") - WorkloadRegistry().data());
  EXPECT_EQ(echo->description, "test: each task waits --echo-delay, then answers");
  // It counts its tasks with --tasks, so it can be a graph's tasks (--pattern, ...).
  EXPECT_EQ(Names(echo->params),
            (std::vector<std::string>{"tasks", "echo-delay", "pattern", "steps", "width", "radix",
                                      "period", "fraction", "output-bytes", "fail-rate", "seed"}));
  std::unique_ptr<Workload> graph = echo->make(
      testing::Defaults(echo->params, {{"pattern", "stencil_1d"}, {"steps", "2"}, {"width", "3"}}));
  ASSERT_NE(graph->graph(), nullptr);
  EXPECT_EQ(graph->task_count(), 6u);
  EXPECT_EQ(graph->name(), "echo");
  ASSERT_NE(FindParam("echo-delay"), nullptr);
  EXPECT_EQ(FindParam("echo-delay")->type, ParamType::kDuration);

  std::unique_ptr<Workload> workload = echo->make(testing::Defaults(echo->params, {}));
  EXPECT_EQ(workload->name(), "echo");
  EXPECT_EQ(workload->task_count(), 3u);
  EXPECT_EQ(workload->run_blocking(1, std::stop_token()), "echo 1");

  std::unique_ptr<Workload> failing =
      echo->make(testing::Defaults(echo->params, {{"fail-rate", "1"}}));
  try {
    failing->run_blocking(0, std::stop_token());
    ADD_FAILURE() << "task 0 did not fail";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "failure injected by --fail-rate 1 --seed 1");
  }
  EXPECT_EQ(failing->parameters()["fail_rate"], 1.0);
}

// Registers `info`, which must fail; returns the error it left.
std::string Refused(WorkloadInfo info) {
  std::size_t workloads = WorkloadRegistry().size();
  std::size_t errors = WorkloadRegistrationErrors().size();
  EXPECT_FALSE(RegisterWorkload(std::move(info)));
  EXPECT_EQ(WorkloadRegistry().size(), workloads);
  if (WorkloadRegistrationErrors().size() != errors + 1) {
    ADD_FAILURE() << "no error kept";
    return "";
  }
  return WorkloadRegistrationErrors().back();
}

TEST(WorkloadRegistry, ATakenNameIsAnErrorKeptForMainNotAnAbort) {
  std::string error = Refused(WorkloadInfoOf<EchoWorkload>("sleep", "a second sleep"));
  EXPECT_EQ(error, "cannot register workload 'sleep': the name is taken (see concbench list)");
  EXPECT_EQ(Refused(WorkloadInfoOf<EchoWorkload>("echo", "twice")),
            "cannot register workload 'echo': the name is taken (see concbench list)");
  std::vector<std::string> problems = RegistryProblems();
  EXPECT_NE(std::find(problems.begin(), problems.end(), error), problems.end());
  EXPECT_EQ(FindWorkload("sleep")->description.find("second"), std::string::npos);
}

// The echo workload renamed, with `param` added to its parameters.
WorkloadInfo EchoWith(std::string_view name, ParamSpec param) {
  WorkloadInfo info = WorkloadInfoOf<EchoWorkload>(name, "");
  info.params.push_back(std::move(param));
  return info;
}

TEST(WorkloadRegistry, MalformedNamesAndParametersAreErrors) {
  for (const char* name : {"", "all", "Crawl", "-crawl", "a,b", "a b"}) {
    EXPECT_NE(Refused(WorkloadInfoOf<EchoWorkload>(name, "")).find("a name is lowercase"),
              std::string::npos)
        << name;
  }
  EXPECT_EQ(Refused({"nomake", "", {}, nullptr}),
            "cannot register workload 'nomake': it has no factory (make)");
  std::vector<std::pair<ParamSpec, std::string>> cases = {
      {{"tasks", ParamType::kDuration, "1s", ""}, "--tasks: declared twice"},
      {{"delay", ParamType::kCount, "1", ""},
       "--delay: the sleep workload has a parameter of this name of another type"},
      {{"lock", ParamType::kChoice, "none", "", {"none", "spin"}},
       "--lock: the counter workload has a parameter of this name of another type"},
      {{"seed", ParamType::kWhole, "1", ""}, "--seed: every workload gets it"},
      {{"x", ParamType::kFlag, "", ""}, "parameter 'x': a name is lowercase letters"},
      {{"Big", ParamType::kFlag, "", ""}, "parameter 'Big': a name is lowercase letters"},
      {{"mode", ParamType::kChoice, "", ""}, "--mode: no choices"},
      {{"wait", ParamType::kDuration, "soon", ""}, "--wait: its default: 'soon'"},
  };
  for (const auto& [param, expected] : cases) {
    std::string error = Refused(EchoWith("echo2", param));
    EXPECT_EQ(error.rfind("cannot register workload 'echo2': " + expected, 0), 0u) << error;
  }
}

TEST(WorkloadRegistry, AParameterOfATakenNameAndTheSameTypeIsOneOption) {
  // echo's --tasks is the option of sleep, spin, ...: one option, a default per workload.
  EXPECT_EQ(ParamClashes(WorkloadRegistry(), EngineRegistry()), std::vector<std::string>{});
  std::vector<ParamDefault> defaults = ParamDefaults("tasks");
  auto echo = std::find_if(defaults.begin(), defaults.end(), [](const ParamDefault& d) {
    return std::find(d.plugins.begin(), d.plugins.end(), "echo") != d.plugins.end();
  });
  ASSERT_NE(echo, defaults.end());
  EXPECT_EQ(echo->value, "3");
}

}  // namespace
}  // namespace concbench
