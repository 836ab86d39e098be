// --pattern's workload: its tasks check the data along every edge, so an engine that starts a
// task before its inputs finished fails it naming the edge; its parameters, metrics and floor.
#include "workloads/graph.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "concbench/workload_registry.hpp"
#include "engines/engine.hpp"
#include "engines/recipe.hpp"

namespace concbench {
namespace {

std::unique_ptr<Workload> MakeSpin(std::map<std::string, std::string> values) {
  const WorkloadInfo* spin = FindWorkload("spin");
  return spin->make(ParamsFor(spin->params, values));
}

// A test double of an engine that ignores the graph: it runs the tasks in the order given.
std::vector<TaskRecord> RunInOrder(const Workload& workload,
                                   const std::vector<std::size_t>& order) {
  std::vector<TaskRecord> records(workload.task_count());
  workload.begin_run();
  std::stop_source stop;
  for (std::size_t index : order) RunTaskInto(records[index], workload, index, stop.get_token());
  return records;
}

TEST(GraphWorkload, ATaskStartedBeforeItsInputsFailsNamingTheEdge) {
  auto workload =
      MakeSpin({{"grain", "0"}, {"pattern", "stencil_1d"}, {"steps", "3"}, {"width", "4"}});
  ASSERT_NE(workload->graph(), nullptr);
  ASSERT_EQ(workload->task_count(), 12u);
  std::vector<std::size_t> backwards;
  for (std::size_t i = 12; i-- > 0;) backwards.push_back(i);
  std::vector<TaskRecord> records = RunInOrder(*workload, backwards);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(records[i].status, TaskStatus::kOk) << i;
  for (std::size_t i = 4; i < 12; ++i) {
    EXPECT_EQ(records[i].status, TaskStatus::kFailed) << i;
    EXPECT_NE(records[i].result.find("started before its input task"), std::string::npos)
        << records[i].result;
    EXPECT_NE(records[i].result.find("its output was not there yet"), std::string::npos);
  }
  // Task 5 (step 1, point 1) reads points 0, 1 and 2 of step 0, none run yet: it names the first.
  EXPECT_NE(records[5].result.find("input task 0 (step 0, point 0)"), std::string::npos)
      << records[5].result;
}

TEST(GraphWorkload, TaskOrderPassesAndAStaleRunsOutputIsNotTakenForThisRunsOne) {
  auto workload = MakeSpin({{"grain", "0"}, {"pattern", "fft"}, {"steps", "4"}, {"width", "8"}});
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < workload->task_count(); ++i) order.push_back(i);
  for (const TaskRecord& record : RunInOrder(*workload, order)) {
    EXPECT_EQ(record.status, TaskStatus::kOk) << record.result;
  }
  // A second run starts from cleared outputs: running step 1 before step 0 fails again.
  std::vector<std::size_t> late = {8, 0};
  std::vector<TaskRecord> records = RunInOrder(*workload, late);
  EXPECT_EQ(records[8].status, TaskStatus::kFailed) << records[8].result;
}

TEST(GraphWorkload, ParametersMetricsAndAFloorThatIsTheCriticalPath) {
  auto workload =
      MakeSpin({{"grain", "1ms"}, {"pattern", "no_comm"}, {"steps", "10"}, {"width", "1"}});
  nlohmann::json params = workload->parameters();
  EXPECT_EQ(params["pattern"], "no_comm");
  EXPECT_EQ(params["steps"], 10);
  EXPECT_EQ(params["width"], 1);
  EXPECT_EQ(params["tasks"], 10);
  EXPECT_EQ(params["output_bytes"], 16);
  EXPECT_FALSE(params.contains("radix"));
  std::vector<TaskRecord> records(10);
  auto start = TaskRecord::Clock::now();
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].status = TaskStatus::kOk;
    records[i].start = start + std::chrono::milliseconds(2 * i);
    records[i].end = records[i].start + std::chrono::milliseconds(2);
  }
  // A chain of ten 1 ms tasks takes 10 ms however many lanes run it.
  EXPECT_NEAR(workload->ideal_seconds(records, 8, 8), 0.010, 1e-9);
  nlohmann::json metrics = workload->end_run(records);
  EXPECT_EQ(metrics["graph_tasks"], 10);
  EXPECT_EQ(metrics["graph_dependencies"], 9);
  EXPECT_EQ(metrics["critical_path_tasks"], 10);
  EXPECT_NEAR(metrics["critical_path_seconds"].get<double>(), 0.020, 1e-6);
  // The forked workers read the outputs through inherited memory: mpi's ranks cannot.
  EXPECT_FALSE(workload->needs().inherited_memory.empty());
  // The Python engines get spin's form and the graph: inputs as ranges, places, output bytes.
  nlohmann::json form = workload->python_form();
  EXPECT_EQ(form["form"], "spin");
  EXPECT_EQ(form["graph"]["inputs"][0], nlohmann::json::array());
  EXPECT_EQ(form["graph"]["inputs"][3], nlohmann::json::parse("[[2, 1]]"));
  EXPECT_EQ(form["graph"]["places"][3], nlohmann::json::parse("[3, 0]"));
  EXPECT_EQ(form["graph"]["output_bytes"], 16);
}

// The same values are pinned in python/tests/test_graph.py against graph.py's stamp.
TEST(GraphWorkload, StampIsSplitmix64OfStepPointAndWord) {
  EXPECT_EQ(Stamp(0, 0, 0), 16294208416658607535ULL);
  EXPECT_EQ(Stamp(3, 5, 1), 14454496555149871278ULL);
  EXPECT_EQ(Stamp(2, 1, 0), 14160868677571091529ULL);
  EXPECT_EQ(Stamp((std::uint64_t{1} << 32) + 7, 9, 4), 6244056176991158463ULL);
}

TEST(GraphWorkload, NoPatternLeavesTheWorkloadAsItWas) {
  auto workload = MakeSpin({{"grain", "0"}, {"tasks", "5"}});
  EXPECT_EQ(workload->graph(), nullptr);
  EXPECT_FALSE(workload->parameters().contains("pattern"));
  EXPECT_THROW(MakeSpin({{"grain", "0"}, {"width", "3"}}), ParamError);
}

}  // namespace
}  // namespace concbench
