#include "reports/trace.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// ts and dur in µs from the run's start; each result a process named by its command, each
// worker's lanes named before the events, which come in start order; B's task 3 never ran and
// has no event, and its task 2 starts on worker 7's lane as task 0 ends there.
TEST(Trace, GoldenOutput) {
  std::ostringstream out;
  WriteTrace(out, testing::GoldenResults());
  EXPECT_EQ(out.str(), R"trace({"displayTimeUnit":"ms","traceEvents":[
{"ph":"M","name":"process_name","pid":1,"args":{"name":"sleep on sequential (delays=[4 values], tasks=4)"}},
{"ph":"M","name":"process_sort_index","pid":1,"args":{"sort_index":0}},
{"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"worker 101 · lane 1"}},
{"ph":"M","name":"thread_sort_index","pid":1,"tid":1,"args":{"sort_index":1}},
{"ph":"X","name":"task 0","cat":"ok","pid":1,"tid":1,"ts":125.000,"dur":10000.000,"args":{"task":0,"status":"ok","worker":101}},
{"ph":"X","name":"task 1","cat":"ok","pid":1,"tid":1,"ts":10125.000,"dur":20000.000,"args":{"task":1,"status":"ok","worker":101}},
{"ph":"X","name":"task 2","cat":"ok","pid":1,"tid":1,"ts":30125.000,"dur":30000.000,"args":{"task":2,"status":"ok","worker":101}},
{"ph":"X","name":"task 3","cat":"ok","pid":1,"tid":1,"ts":60125.000,"dur":40000.000,"args":{"task":3,"status":"ok","worker":101}},
{"ph":"M","name":"process_name","pid":2,"args":{"name":"fast: primes on pool (numbers=5,7,11)"}},
{"ph":"M","name":"process_sort_index","pid":2,"args":{"sort_index":1}},
{"ph":"M","name":"thread_name","pid":2,"tid":1,"args":{"name":"worker 7 · lane 1"}},
{"ph":"M","name":"thread_sort_index","pid":2,"tid":1,"args":{"sort_index":1}},
{"ph":"M","name":"thread_name","pid":2,"tid":2,"args":{"name":"worker 8 · lane 1"}},
{"ph":"M","name":"thread_sort_index","pid":2,"tid":2,"args":{"sort_index":2}},
{"ph":"X","name":"task 0","cat":"ok","pid":2,"tid":1,"ts":500.000,"dur":1000.000,"args":{"task":0,"status":"ok","worker":7}},
{"ph":"X","name":"task 1","cat":"failed","pid":2,"tid":2,"ts":500.000,"dur":1500.000,"args":{"task":1,"status":"failed","worker":8}},
{"ph":"X","name":"task 2","cat":"cancelled","pid":2,"tid":1,"ts":1500.000,"dur":1000.000,"args":{"task":2,"status":"cancelled","worker":7}}
]}
)trace");
}

TEST(Trace, OneCompleteEventPerStartedTaskWithPidPerResultAndLanesPerWorker) {
  Result a;
  a.workload = "sleep";
  a.engine = "pool";
  a.timeline = {{0, 0.0, 0.001, 11, TaskStatus::kOk},
                {1, 0.0005, 0.002, 12, TaskStatus::kOk},
                {2, 0, 0, 0, TaskStatus::kNotRun}};
  Result b = a;
  b.engine = "asio";
  b.timeline = {{0, 0.0, 0.003, 21, TaskStatus::kCancelled}};
  std::ostringstream out;
  WriteTrace(out, {a, b});
  nlohmann::json trace = nlohmann::json::parse(out.str());
  std::vector<nlohmann::json> complete;
  std::set<std::string> process_names;
  for (const nlohmann::json& event : trace["traceEvents"]) {
    if (event["ph"] == "X") complete.push_back(event);
    if (event["ph"] == "M" && event["name"] == "process_name") {
      process_names.insert(event["args"]["name"].get<std::string>());
    }
  }
  ASSERT_EQ(complete.size(), 3u);
  EXPECT_EQ(process_names, (std::set<std::string>{"sleep on pool", "sleep on asio"}));
  EXPECT_EQ(complete[1]["pid"], 1);
  EXPECT_EQ(complete[1]["tid"], 2);  // worker 12, the second worker
  EXPECT_EQ(complete[1]["args"]["worker"], 12);
  EXPECT_DOUBLE_EQ(complete[1]["ts"].get<double>(), 500);
  EXPECT_DOUBLE_EQ(complete[1]["dur"].get<double>(), 1500);
  EXPECT_EQ(complete[1]["args"]["task"], 1);
  EXPECT_EQ(complete[2]["pid"], 2);
  EXPECT_EQ(complete[2]["args"]["status"], "cancelled");
}

// Tasks in flight at once on one thread (asio) take a lane each; a lane is reused once free.
TEST(Trace, OverlappingTasksOfOneWorkerTakeTheFewestLanes) {
  Result a;
  a.workload = "sleep";
  a.engine = "asio";
  a.timeline = {{0, 0.000, 0.010, 5, TaskStatus::kOk},
                {1, 0.001, 0.004, 5, TaskStatus::kOk},
                {2, 0.002, 0.012, 5, TaskStatus::kOk},
                {3, 0.004, 0.006, 5, TaskStatus::kOk},   // where task 1 ended
                {4, 0.011, 0.013, 5, TaskStatus::kOk}};  // on the lane free the longest
  std::ostringstream out;
  WriteTrace(out, {a});
  std::map<int, std::string> lane_names;
  std::map<int, int> tid_of_task;
  nlohmann::json trace = nlohmann::json::parse(out.str());
  for (const nlohmann::json& event : trace["traceEvents"]) {
    if (event["name"] == "thread_name") lane_names[event["tid"]] = event["args"]["name"];
    if (event["ph"] == "X") tid_of_task[event["args"]["task"]] = event["tid"];
  }
  EXPECT_EQ(lane_names,
            (std::map<int, std::string>{
                {1, "worker 5 · lane 1"}, {2, "worker 5 · lane 2"}, {3, "worker 5 · lane 3"}}));
  EXPECT_EQ(tid_of_task, (std::map<int, int>{{0, 1}, {1, 2}, {2, 3}, {3, 2}, {4, 2}}));
}

}  // namespace
}  // namespace concbench
