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
  // The outputs travel in messages where memory is not shared (mpi's ranks): no engine is
  // refused for lack of it.
  EXPECT_TRUE(workload->needs().inherited_memory.empty());
  // The Python engines get spin's form and the graph: inputs as ranges, places, output bytes.
  nlohmann::json form = workload->python_form();
  EXPECT_EQ(form["form"], "spin");
  EXPECT_EQ(form["graph"]["inputs"][0], nlohmann::json::array());
  EXPECT_EQ(form["graph"]["inputs"][3], nlohmann::json::parse("[[2, 1]]"));
  EXPECT_EQ(form["graph"]["places"][3], nlohmann::json::parse("[3, 0]"));
  EXPECT_EQ(form["graph"]["output_bytes"], 16);
}

// What mpi does for a rank, which shares no memory with the harness: the outputs of a task's
// inputs, copied from the workload that ran them, are put into another copy of the workload,
// where the task then passes its check; a copy changed in transit fails it.
TEST(GraphWorkload, OutputsCopiedIntoAnotherCopyLetItsTasksPassAndAChangedOneFails) {
  std::map<std::string, std::string> values = {{"grain", "0"},
                                               {"pattern", "stencil_1d"},
                                               {"steps", "2"},
                                               {"width", "3"},
                                               {"output-bytes", "24"}};
  auto here = MakeSpin(values);
  auto there = MakeSpin(values);
  const TaskGraph& from = *here->graph();
  const TaskGraph& to = *there->graph();
  ASSERT_EQ(from.output_size(), 24u);
  std::vector<TaskRecord> records = RunInOrder(*here, {0, 1, 2});
  for (std::size_t task = 0; task < 3; ++task) ASSERT_EQ(records[task].status, TaskStatus::kOk);
  there->begin_run();
  std::stop_source stop;
  TaskRecord early;
  RunTaskInto(early, *there, 4, stop.get_token());  // nothing copied yet
  EXPECT_EQ(early.status, TaskStatus::kFailed) << early.result;
  std::string data;
  for (std::size_t input = 0; input < 3; ++input) from.copy_output(input, data);
  ASSERT_EQ(data.size(), 72u);
  for (std::size_t input = 0; input < 3; ++input) {
    to.put_output(input, std::string_view(data).substr(input * 24, 24));
  }
  TaskRecord copied;
  RunTaskInto(copied, *there, 4, stop.get_token());
  EXPECT_EQ(copied.status, TaskStatus::kOk) << copied.result;
  std::string changed = data.substr(24, 24);
  changed[9] = static_cast<char>(changed[9] ^ 1);
  to.put_output(1, changed);
  TaskRecord wrong;
  RunTaskInto(wrong, *there, 4, stop.get_token());
  EXPECT_EQ(wrong.status, TaskStatus::kFailed);
  EXPECT_NE(wrong.result.find("input task 1 (step 0, point 1) had finished: its output differs "
                              "at byte 8"),
            std::string::npos)
      << wrong.result;
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
