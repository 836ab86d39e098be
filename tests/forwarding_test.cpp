// The decorators forward every call they do not change, for every registered workload: --fail-rate
// keeps a workload's floor, CPU wish, lean wait form and command usage (it changes only which
// tasks throw, its parameters, and drops the Python form), and ForwardingWorkload forwards all.
#include "workloads/forwarding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "concbench/workload_registry.hpp"
#include "tests/workload_helpers.hpp"
#include "workloads/faults.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

using testing::Defaults;

std::map<std::string, std::string> QuickValues(const std::string& workload) {
  std::map<std::string, std::string> values = {{"tasks", "16"}, {"delay", "5ms"}};
  if (workload == "exec") values["cmd"] = "true";
  if (workload == "pycall") values["call"] = "tasks:empty";
  return values;
}

// Records of a run in which every task took 10 ms and 4 ms of CPU.
std::vector<TaskRecord> Records(std::size_t count) {
  std::vector<TaskRecord> records(count);
  for (TaskRecord& record : records) {
    record.status = TaskStatus::kOk;
    record.end = record.start + std::chrono::milliseconds(10);
    record.cpu_seconds = 0.004;
  }
  return records;
}

// Every query `wrapper` answers as `inner` does.
void ExpectSameAnswers(const Workload& inner, const Workload& wrapper) {
  EXPECT_EQ(wrapper.name(), inner.name());
  EXPECT_EQ(wrapper.kind(), inner.kind());
  ASSERT_EQ(wrapper.task_count(), inner.task_count());
  EXPECT_EQ(wrapper.wants_task_cpu(), inner.wants_task_cpu());
  TaskNeeds a = inner.needs(), b = wrapper.needs();
  EXPECT_EQ(b.shared_memory, a.shared_memory);
  EXPECT_EQ(b.inherited_memory, a.inherited_memory);
  EXPECT_EQ(b.at_once, a.at_once);
  EXPECT_EQ(b.python_only, a.python_only);
  std::vector<TaskRecord> records = Records(inner.task_count());
  EXPECT_EQ(wrapper.ideal_seconds(records, 2, 2), inner.ideal_seconds(records, 2, 2));
  EXPECT_EQ(wrapper.check_run(records), inner.check_run(records));
  for (std::size_t i = 0; i < inner.task_count(); ++i) {
    EXPECT_EQ(wrapper.blocks_thread(i), inner.blocks_thread(i)) << i;
    EXPECT_EQ(wrapper.check(i, records[i]), inner.check(i, records[i])) << i;
    EXPECT_EQ(wrapper.command_usage(i).processes, inner.command_usage(i).processes) << i;
  }
}

TEST(Forwarding, EveryCallReachesTheWrappedWorkload) {
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    SCOPED_TRACE(info.name);
    auto inner = info.make(Defaults(info.params, QuickValues(std::string(info.name))));
    ForwardingWorkload wrapper(*inner);
    ExpectSameAnswers(*inner, wrapper);
    EXPECT_EQ(wrapper.parameters(), inner->parameters());
    EXPECT_EQ(wrapper.python_form(), inner->python_form());
    if (info.name == "counter") {  // the state of a Python run reaches the wrapped workload
      inner->begin_run();
      wrapper.take_python_state({{"counter", 7}});
      EXPECT_EQ(inner->end_run(Records(inner->task_count()))["final"], 7);
    }
    EXPECT_EQ(static_cast<bool>(wrapper.run_wait(0, {})),
              static_cast<bool>(inner->run_wait(0, {})));
  }
}

TEST(Forwarding, FailRateChangesOnlyWhichTasksThrow) {
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    bool takes_rate = std::any_of(info.params.begin(), info.params.end(),
                                  [](const ParamSpec& spec) { return spec.name == "fail-rate"; });
    if (!takes_rate) continue;
    SCOPED_TRACE(info.name);
    std::map<std::string, std::string> values = QuickValues(std::string(info.name));
    auto inner = info.make(Defaults(info.params, values));
    values["fail-rate"] = "0.5";
    auto failing = info.make(Defaults(info.params, values));
    ExpectSameAnswers(*inner, *failing);
    EXPECT_EQ(failing->parameters()["fail_rate"], 0.5);
    EXPECT_TRUE(failing->python_form().is_null());  // the failure is injected in C++
    // Tasks that are not chosen keep their lean wait form; the chosen ones take the failing one.
    SeededChoice chosen{0.5, 1, SeededChoice::kFailSalt, inner->task_count()};
    std::size_t picked = 0;
    for (std::size_t i = 0; i < inner->task_count(); ++i)
      if (chosen.chosen(i)) ++picked;
    ASSERT_GT(picked, 0u);  // some tasks fail, so both forms are checked
    for (std::size_t i = 0; i < inner->task_count(); ++i) {
      bool lean = static_cast<bool>(inner->run_wait(i, {}));
      EXPECT_EQ(static_cast<bool>(failing->run_wait(i, {})), lean && !chosen.chosen(i)) << i;
    }
  }
}

}  // namespace
}  // namespace concbench
