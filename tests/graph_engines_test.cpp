#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "engines/ready_tasks.hpp"
#include "engines/registry.hpp"
#include "tests/registry_names.hpp"
#include "tests/test_graph.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::GraphWorkload;
using testing::ListGraph;

// An engine as the registry makes it, with its defaults and `values`.
std::unique_ptr<Engine> MakeGraphEngine(const std::string& name,
                                        const std::map<std::string, std::string>& values) {
  const EngineInfo* info = FindEngine(name);
  EXPECT_NE(info, nullptr) << name;
  Params params;
  for (const ParamSpec& spec : info->params) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (const auto& [key, value] : values) params.set(key, value);
  return info->make(params);
}

// Every engine that runs graphs, as a test parameter: a registry name, or "asio_offload".
std::vector<std::string> GraphEngineNames() {
  std::vector<std::string> names;
  for (const EngineInfo& info : EngineRegistry()) {
    if (info.named_only) continue;
    auto engine = MakeGraphEngine(std::string(info.name), {});
    if (engine->language() == "C++") names.emplace_back(info.name);
  }
  names.emplace_back("asio_offload");
  return names;
}

std::unique_ptr<Engine> MakeNamed(const std::string& name) {
  if (name == "asio_offload") {
    return MakeGraphEngine("asio", {{"workers", "3"}, {"offload", "true"}});
  }
  return MakeGraphEngine(name, {{"workers", "3"}});
}

// The tasks that wait, directly or not, for one of `failed`.
std::set<std::size_t> Downstream(const ListGraph& graph, const std::set<std::size_t>& failed) {
  std::set<std::size_t> below;
  for (std::size_t task = 0; task < graph.task_count(); ++task) {
    for (std::size_t input : graph.input_list(task)) {
      if (failed.count(input) || below.count(input)) below.insert(task);
    }
  }
  return below;
}

void ExpectEdgesHonoured(const ListGraph& graph, const EngineRun& run) {
  ASSERT_EQ(run.records.size(), graph.task_count());
  for (std::size_t task = 0; task < graph.task_count(); ++task) {
    EXPECT_EQ(run.records[task].status, TaskStatus::kOk) << task << run.records[task].result;
    for (std::size_t input : graph.input_list(task)) {
      EXPECT_LE(run.records[input].end, run.records[task].start) << input << " -> " << task;
    }
  }
}

class GraphEngine : public ::testing::TestWithParam<std::string> {};

TEST_P(GraphEngine, StartsEachTaskAfterItsInputs) {
  for (const ListGraph& graph : {testing::Chain(12), testing::Diamond(), testing::Fan(8),
                                 testing::RandomDag(60, 7), testing::RandomDag(40, 11)}) {
    for (TaskKind kind : {TaskKind::kWait, TaskKind::kCompute}) {
      GraphWorkload workload(graph, 200us, {}, kind);
      auto engine = MakeNamed(GetParam());
      EngineRun run = engine->run(workload, std::stop_token());
      EXPECT_EQ(run.error, "");
      ExpectEdgesHonoured(graph, run);
    }
  }
}

TEST_P(GraphEngine, AFailedTaskCancelsWhatWaitsForIt) {
  ListGraph graph = testing::RandomDag(50, 3);
  std::set<std::size_t> failed = {5, 20};
  std::set<std::size_t> below = Downstream(graph, failed);
  ASSERT_FALSE(below.empty());
  GraphWorkload workload(graph, 100us, failed);
  auto engine = MakeNamed(GetParam());
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  for (std::size_t task = 0; task < graph.task_count(); ++task) {
    const TaskRecord& record = run.records[task];
    if (failed.count(task)) {
      EXPECT_EQ(record.status, TaskStatus::kFailed) << task;
    } else if (below.count(task)) {
      EXPECT_EQ(record.status, TaskStatus::kCancelled) << task;
      EXPECT_TRUE(record.result.starts_with("not run: its input task ")) << record.result;
      EXPECT_EQ(workload.runs(task), 0) << task;
    } else {
      EXPECT_EQ(record.status, TaskStatus::kOk) << task << record.result;
    }
  }
}

TEST_P(GraphEngine, NamesTheInputThatFailedOrWasCancelled) {
  ListGraph graph = testing::Chain(4);
  GraphWorkload workload(graph, 0us, {1});
  auto engine = MakeNamed(GetParam());
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.records[0].status, TaskStatus::kOk);
  EXPECT_EQ(run.records[1].status, TaskStatus::kFailed);
  EXPECT_EQ(run.records[2].result, "not run: its input task 1 (node 1) failed");
  EXPECT_EQ(run.records[3].status, TaskStatus::kCancelled);
  EXPECT_EQ(run.records[3].result, "not run: its input task 2 (node 2) was cancelled");
  EXPECT_EQ(engine->tasks_finished(), 4u);  // the tasks not run count as finished
}

TEST_P(GraphEngine, AStopLeavesTheTasksNotReachedNotRun) {
  ListGraph graph = testing::Chain(100);
  GraphWorkload workload(graph, 20ms);  // 2 s in all: the stop comes well before
  auto engine = MakeNamed(GetParam());
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(100ms);
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  EngineRun run = engine->run(workload, stop.get_token());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1900ms);
  EXPECT_EQ(run.records.back().status, TaskStatus::kNotRun);
  bool reached_end = false;
  for (const TaskRecord& record : run.records) {
    if (reached_end) {
      EXPECT_EQ(record.status, TaskStatus::kNotRun);
    }
    if (record.status != TaskStatus::kOk) reached_end = true;
  }
}

INSTANTIATE_TEST_SUITE_P(GraphEngines, GraphEngine, ::testing::ValuesIn(GraphEngineNames()),
                         testing::TestName);

// The Python engines run a graph whose workload has a Python form (tests/cli_python_graph_test);
// this one has none.
TEST(GraphEngineRefusal, OnlyPythonEnginesRefuseAGraphWithoutAPythonForm) {
  ListGraph graph = testing::Diamond();
  GraphWorkload workload(graph, 0us);
  for (const EngineInfo& info : EngineRegistry()) {
    auto engine = MakeGraphEngine(std::string(info.name), {});
    if (engine->language() == "Python") {
      EXPECT_TRUE(engine->refuses(workload).starts_with("it has no Python form")) << info.name;
    } else {
      EXPECT_EQ(engine->refuses(workload), "") << info.name;
    }
  }
}

TEST(GraphEngineReadyTasks, TheLastInputToFinishMakesATaskReadyAndAFailureIsKept) {
  ListGraph graph = testing::Diamond();  // 0 -> 1, 2 -> 3
  ReadyTasks ready(graph);
  EXPECT_EQ(ready.initial(), std::vector<std::size_t>{0});
  std::vector<std::size_t> made;
  auto keep = [&made](std::size_t task) { made.push_back(task); };
  ready.Finish(0, true, keep);
  EXPECT_EQ(made, (std::vector<std::size_t>{1, 2}));
  ready.Finish(2, false, keep);
  EXPECT_EQ(made.size(), 2u);  // task 3 still waits for task 1
  ready.Finish(1, true, keep);
  EXPECT_EQ(made.back(), 3u);
  EXPECT_TRUE(ready.input_failed(3));
  EXPECT_FALSE(ready.input_failed(1));
}

// Task `kill_at` kills its own process (the process engine's worker) as it starts.
class KillingGraphWorkload : public GraphWorkload {
 public:
  KillingGraphWorkload(const TaskGraph& graph, std::size_t kill_at)
      : GraphWorkload(graph, 0us), kill_at_(kill_at) {}
  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    if (index == kill_at_) ::raise(SIGKILL);
    return GraphWorkload::run_blocking(index, stop);
  }

 private:
  std::size_t kill_at_;
};

TEST(GraphEngineProcess, AWorkerDeadMidTaskFailsItAndItsOutputsAreNotRun) {
  ListGraph graph = testing::Fan(6);  // 0 -> 1..6 -> 7
  KillingGraphWorkload workload(graph, 3);
  auto engine = MakeGraphEngine("process", {{"workers", "2"}});
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  EXPECT_EQ(run.records[3].status, TaskStatus::kFailed);
  EXPECT_TRUE(run.records[3].result.starts_with("its worker process died mid-task"))
      << run.records[3].result;
  for (std::size_t task : {0u, 1u, 2u, 4u, 5u, 6u}) {
    EXPECT_EQ(run.records[task].status, TaskStatus::kOk) << task;
  }
  EXPECT_EQ(run.records[7].status, TaskStatus::kCancelled);
  EXPECT_EQ(run.records[7].result, "not run: its input task 3 (node 3) failed");
}

TEST(GraphEnginePool, ManyReadyTasksRunOnceEach) {
  ListGraph graph = testing::Fan(5000);
  GraphWorkload workload(graph, 0us);
  auto engine = MakeGraphEngine("pool", {{"workers", "4"}});
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  for (std::size_t task = 0; task < graph.task_count(); ++task) {
    EXPECT_EQ(workload.runs(task), 1) << task;
    EXPECT_EQ(run.records[task].status, TaskStatus::kOk) << task;
  }
  EXPECT_EQ(engine->tasks_finished(), graph.task_count());
}

}  // namespace
}  // namespace concbench
