#include "reports/trace.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

// ts and dur in µs from the run's start; a worker's thread_name comes before its first task;
// B's task 3 never ran and has no event.
TEST(Trace, GoldenOutput) {
  std::ostringstream out;
  WriteTrace(out, testing::GoldenResults());
  EXPECT_EQ(out.str(), R"({"displayTimeUnit":"ms","traceEvents":[
{"ph":"M","name":"process_name","pid":1,"args":{"name":"sleep on sequential"}},
{"ph":"M","name":"process_sort_index","pid":1,"args":{"sort_index":0}},
{"ph":"M","name":"thread_name","pid":1,"tid":101,"args":{"name":"worker 101"}},
{"ph":"X","name":"task 0","cat":"ok","pid":1,"tid":101,"ts":125.000,"dur":10000.000,"args":{"task":0,"status":"ok"}},
{"ph":"X","name":"task 1","cat":"ok","pid":1,"tid":101,"ts":10125.000,"dur":20000.000,"args":{"task":1,"status":"ok"}},
{"ph":"X","name":"task 2","cat":"ok","pid":1,"tid":101,"ts":30125.000,"dur":30000.000,"args":{"task":2,"status":"ok"}},
{"ph":"X","name":"task 3","cat":"ok","pid":1,"tid":101,"ts":60125.000,"dur":40000.000,"args":{"task":3,"status":"ok"}},
{"ph":"M","name":"process_name","pid":2,"args":{"name":"primes on pool"}},
{"ph":"M","name":"process_sort_index","pid":2,"args":{"sort_index":1}},
{"ph":"M","name":"thread_name","pid":2,"tid":7,"args":{"name":"worker 7"}},
{"ph":"X","name":"task 0","cat":"ok","pid":2,"tid":7,"ts":500.000,"dur":1000.000,"args":{"task":0,"status":"ok"}},
{"ph":"M","name":"thread_name","pid":2,"tid":8,"args":{"name":"worker 8"}},
{"ph":"X","name":"task 1","cat":"failed","pid":2,"tid":8,"ts":500.000,"dur":1500.000,"args":{"task":1,"status":"failed"}},
{"ph":"X","name":"task 2","cat":"cancelled","pid":2,"tid":7,"ts":1500.000,"dur":1000.000,"args":{"task":2,"status":"cancelled"}}
]}
)");
}

TEST(Trace, OneCompleteEventPerStartedTaskWithPidPerResultAndTidPerWorker) {
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
  EXPECT_EQ(complete[1]["tid"], 12);
  EXPECT_DOUBLE_EQ(complete[1]["ts"].get<double>(), 500);
  EXPECT_DOUBLE_EQ(complete[1]["dur"].get<double>(), 1500);
  EXPECT_EQ(complete[1]["args"]["task"], 1);
  EXPECT_EQ(complete[2]["pid"], 2);
  EXPECT_EQ(complete[2]["args"]["status"], "cancelled");
}

}  // namespace
}  // namespace concbench
