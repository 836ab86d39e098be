// The file workload on every engine: its checks, stop handling, cleanup and --dir.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/registry_names.hpp"
#include "tests/temp_dir.hpp"
#include "tests/workload_helpers.hpp"
#include "util/threads.hpp"
#include "workloads/file.hpp"
#include "workloads/payload.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Defaults;
using testing::MakeEngine;
using testing::RunAll;
using testing::TempDir;

class FileOnEveryEngine : public ::testing::TestWithParam<std::string> {};

TEST_P(FileOnEveryEngine, EveryTaskReadsBackWhatItWroteAndLeavesNoFile) {
  TempDir parent;
  auto workload = MakeFileWorkload(Defaults(
      FileParams(), {{"tasks", "5"}, {"size", "300000"}, {"dir", parent.path().string()}}));
  auto engine = MakeEngine(GetParam());
  for (int repetition = 0; repetition < 2; ++repetition) {
    EngineRun run;
    nlohmann::json metrics = RunAll(*workload, *engine, run);
    EXPECT_EQ(run.error, "");
    ASSERT_EQ(run.records.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << run.records[i].result;
      EXPECT_EQ(workload->check(i, run.records[i]), "") << i;
    }
    EXPECT_EQ(metrics["io"], GetParam() == "asio" ? "thread_pool offload" : "blocking");
    EXPECT_GT(workload->ideal_seconds(run.records, engine->lanes(*workload), 2), 0.0);
    EXPECT_EQ(parent.entries(), 0u) << "the run's folder outlived end_run";
  }
  workload.reset();
  EXPECT_EQ(parent.entries(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, FileOnEveryEngine, ::testing::ValuesIn(testing::EngineNames()),
                         testing::TestName);

TEST(File, ARefusedIoThreadFailsTheRunNamingTheLimitAndLeavesNoFolder) {
  TempDir parent;
  auto workload =
      MakeFileWorkload(Defaults(FileParams(), {{"tasks", "2"}, {"dir", parent.path().string()}}));
  RefuseThreadsForTesting(1);
  try {
    workload->begin_run();
    ADD_FAILURE() << "begin_run started the I/O pool although its thread was refused";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("file: its I/O pool: the OS refused thread 1 of ", 0), 0u)
        << e.what();
  }
  RefuseThreadsForTesting(0);
  workload.reset();  // as the harness unwinds after the failure
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, CheckRejectsWhatTheTaskDidNotWrite) {
  TempDir parent;
  auto workload = MakeFileWorkload(
      Defaults(FileParams(), {{"tasks", "2"}, {"size", "64KiB"}, {"dir", parent.path().string()}}));
  TaskRecord record = RunTaskBlocking(*workload, 1, std::stop_token());
  ASSERT_EQ(record.status, TaskStatus::kOk) << record.result;
  EXPECT_EQ(workload->check(1, record), "");
  EXPECT_NE(workload->check(0, record).find("read back"), std::string::npos);
  record.result = DescribePayload(65535, 0);
  EXPECT_NE(workload->check(1, record), "");
}

TEST(File, AFailingRunLeavesNoFiles) {
  TempDir parent;
  auto workload = MakeFileWorkload(
      Defaults(FileParams(), {{"tasks", "4"}, {"size", "10000"}, {"dir", parent.path().string()}}));
  // The workload's folder is the one entry under `parent`; a folder in the way of task 2's file
  // makes that task fail.
  fs::path folder = fs::directory_iterator(parent.path())->path();
  fs::create_directory(folder / "task-2");
  auto engine = MakeEngine("pool");
  EngineRun run = engine->run(*workload, std::stop_token());
  EXPECT_EQ(run.records[2].status, TaskStatus::kFailed);
  EXPECT_NE(run.records[2].result.find("task-2"), std::string::npos) << run.records[2].result;
  EXPECT_EQ(run.records[3].status, TaskStatus::kOk);
  // Every task removes its own file, whatever happened.
  std::size_t left = 0;
  for (const auto& entry : fs::directory_iterator(folder)) left += entry.is_regular_file();
  EXPECT_EQ(left, 0u);
  workload->end_run(run.records);
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, AStoppedTaskLeavesNoFileAndTheFolderGoesWithTheWorkload) {
  TempDir parent;
  auto workload = MakeFileWorkload(
      Defaults(FileParams(), {{"tasks", "2"}, {"size", "8MiB"}, {"dir", parent.path().string()}}));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THROW(workload->run_blocking(0, stop.get_token()), TaskCancelled);
  EXPECT_EQ(parent.entries(), 1u);  // the folder, empty
  workload.reset();                 // as after Ctrl-C: no end_run
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, StopEndsAnAsioRunOfLargeFilesPromptly) {
  TempDir parent;
  auto workload = MakeFileWorkload(Defaults(
      FileParams(), {{"tasks", "200"}, {"size", "32MiB"}, {"dir", parent.path().string()}}));
  auto engine = MakeEngine("asio");
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EngineRun run;
  RunAll(*workload, *engine, run, stop.get_token());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);  // 6.4 GB would take far longer
  std::size_t stopped = 0;
  for (const TaskRecord& record : run.records) stopped += record.status != TaskStatus::kOk;
  EXPECT_GT(stopped, 0u);
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, BadDirIsAParamErrorNamingDir) {
  TempDir parent;
  fs::path not_a_folder = parent.path() / "plain-file";
  std::ofstream(not_a_folder) << "x";
  for (std::string dir :
       {std::string("/nonexistent-concbench-dir"), not_a_folder.string(), std::string("/proc")}) {
    try {
      MakeFileWorkload(Defaults(FileParams(), {{"dir", dir}}));
      ADD_FAILURE() << "accepted " << dir;
    } catch (const ParamError& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("--dir")) << e.what();
      EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace concbench
