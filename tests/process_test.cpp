// The process engine's workers under the harness: forked by prepare(), before the clock, and
// ended by conclude(), after it; never kept from one run to the next, never left behind.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <stop_token>
#include <string>

#include "engines/engine.hpp"
#include "tests/fake_workload.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using testing::FakeWorkload;
using testing::MakeEngine;
using testing::MakeWorkload;
using testing::NoChildrenLeft;
using namespace std::chrono_literals;

// The pids of this process's live children, read from /proc/PID/stat (the parent's pid is the
// fourth field, after the name in parentheses).
std::set<long> LiveChildren() {
  std::set<long> children;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    std::size_t name_end = line.rfind(')');
    if (name_end == std::string::npos) continue;
    char state = 0;
    long parent = 0;
    if (std::sscanf(line.c_str() + name_end + 1, " %c %ld", &state, &parent) != 2) continue;
    if (parent == ::getpid() && state != 'Z') children.insert(pid);
  }
  ::closedir(proc);
  return children;
}

std::set<long> RecordWorkers(const EngineRun& run) {
  std::set<long> workers;
  for (const TaskRecord& record : run.records) workers.insert(record.worker);
  return workers;
}

TEST(ProcessEngine, PrepareStartsTheWorkersThatTheRunUsesAndConcludeEndsThem) {
  ASSERT_TRUE(NoChildrenLeft());
  FakeWorkload workload(40);
  auto engine = MakeEngine("process", {{"workers", "2"}});
  std::set<long> earlier;
  for (int repetition = 0; repetition < 2; ++repetition) {
    workload.begin_run();
    engine->prepare(workload, /*caller_concludes=*/true);
    std::set<long> started = LiveChildren();
    ASSERT_EQ(started.size(), 2u);  // forked before run()
    for (long pid : started) {
      EXPECT_EQ(::kill(static_cast<pid_t>(pid), 0), 0) << pid;
      EXPECT_EQ(earlier.count(pid), 0u) << "a worker was kept from the run before: " << pid;
    }
    EngineRun run = engine->run(workload, std::stop_token());
    EXPECT_EQ(run.error, "");
    for (const TaskRecord& record : run.records) {
      EXPECT_EQ(record.status, TaskStatus::kOk) << record.result;
      EXPECT_EQ(started.count(record.worker), 1u) << record.worker;
    }
    EXPECT_EQ(LiveChildren(), started);  // left idle for conclude()
    ASSERT_TRUE(run.metrics.contains("worker_startup_s"));
    EXPECT_GT(run.metrics["worker_startup_s"].get<double>(), 0.0);
    engine->conclude(run);
    EXPECT_TRUE(NoChildrenLeft());
    EXPECT_GT(run.children.user_seconds + run.children.system_seconds, 0.0);
    EXPECT_GT(run.children.peak_rss_bytes, 0);
    workload.end_run(run.records);
    earlier = started;
  }
}

TEST(ProcessEngine, RunEndsItsWorkersItselfWhenTheCallerDoesNotConclude) {
  FakeWorkload workload(10);
  auto engine = MakeEngine("process", {{"workers", "2"}});
  engine->prepare(workload);
  EngineRun run = engine->run(workload, std::stop_token());
  EXPECT_EQ(run.error, "");
  EXPECT_TRUE(NoChildrenLeft());
  EXPECT_GT(run.children.peak_rss_bytes, 0);
  engine->conclude(run);  // nothing left to end
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(ProcessEngine, WorkersPreparedForAnotherWorkloadAreNotUsed) {
  FakeWorkload prepared(10);
  FakeWorkload other(6);
  auto engine = MakeEngine("process", {{"workers", "2"}});
  engine->prepare(prepared, /*caller_concludes=*/true);
  std::set<long> started = LiveChildren();
  EngineRun run = engine->run(other, std::stop_token());
  engine->conclude(run);
  EXPECT_EQ(run.error, "");
  ASSERT_EQ(run.records.size(), 6u);
  for (long worker : RecordWorkers(run)) EXPECT_EQ(started.count(worker), 0u) << worker;
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(ProcessEngine, AStopKillsBusyPreparedWorkersAtOnce) {
  auto workload = MakeWorkload("sleep", {{"tasks", "4"}, {"delay", "20s"}});
  auto engine = MakeEngine("process", {{"workers", "2"}});
  workload->begin_run();
  engine->prepare(*workload, /*caller_concludes=*/true);
  std::stop_source stop;
  auto started = std::chrono::steady_clock::now();
  EngineRun run;
  {
    std::jthread stopper = testing::StopAfter(stop, 100ms);
    run = engine->run(*workload, stop.get_token());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_TRUE(NoChildrenLeft());  // before conclude: the busy workers were killed in run()
  engine->conclude(run);
  for (const TaskRecord& record : run.records) {
    EXPECT_TRUE(record.status == TaskStatus::kCancelled || record.status == TaskStatus::kNotRun);
  }
}

TEST(ProcessEngine, CrashedPreparedWorkersAreReplacedAndEveryWorkerEnds) {
  FakeWorkload workload(12, /*throw_at=*/{}, /*kill_at=*/{3, 7});
  auto engine = MakeEngine("process", {{"workers", "2"}});
  engine->prepare(workload, /*caller_concludes=*/true);
  EngineRun run = engine->run(workload, std::stop_token());
  engine->conclude(run);
  EXPECT_EQ(run.error, "");
  for (std::size_t i = 0; i < 12; ++i) {
    TaskStatus expected = i == 3 || i == 7 ? TaskStatus::kFailed : TaskStatus::kOk;
    EXPECT_EQ(run.records[i].status, expected) << i << ": " << run.records[i].result;
  }
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(ProcessEngine, TheEngineEndsWorkersPreparedButNeverRun) {
  FakeWorkload workload(10);
  {
    auto engine = MakeEngine("process", {{"workers", "3"}});
    engine->prepare(workload, /*caller_concludes=*/true);
    EXPECT_EQ(LiveChildren().size(), 3u);
    engine->prepare(workload, /*caller_concludes=*/true);  // the first three ended here
    EXPECT_EQ(LiveChildren().size(), 3u);
  }
  EXPECT_TRUE(NoChildrenLeft());
}

}  // namespace
}  // namespace concbench
