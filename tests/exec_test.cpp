// The exec workload: commands as tasks, on every engine; their usage, their checks, and that a
// stop leaves no process behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/registry_names.hpp"
#include "tests/temp_dir.hpp"
#include "tests/workload_helpers.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::MakeEngine;
using testing::MakeWorkload;
using testing::NoChildrenLeft;
using testing::TempDir;
namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

bool Alive(pid_t pid) { return ::kill(pid, 0) == 0; }

std::string MakeError(std::map<std::string, std::string> values) {
  try {
    MakeWorkload("exec", std::move(values));
  } catch (const ParamError& e) {
    return e.what();
  }
  return "";
}

class ExecOnEveryEngine : public ::testing::TestWithParam<std::string> {};

TEST_P(ExecOnEveryEngine, RunsEachCommandAndRecordsItsUsage) {
  TempDir dir;
  // A little CPU in the command, none in the harness; {i} and {n} reach the command.
  auto workload = MakeWorkload(
      "exec", {{"cmd", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo {i}/{n}"},
               {"shell", "true"},
               {"tasks", "3"},
               {"output", dir / "{i}.out"},
               {"expect-output", "^[0-9]/3$"}});
  auto engine = MakeEngine(GetParam());
  testing::Measured m = testing::Measure(*workload, *engine);
  ASSERT_EQ(m.run.error, "");
  for (std::size_t i = 0; i < 3; ++i) {
    const TaskRecord& record = m.run.records[i];
    EXPECT_EQ(record.status, TaskStatus::kOk) << record.result;
    EXPECT_EQ(workload->check(i, record), "");
    ASSERT_EQ(m.run.commands.size(), 3u);
    const ProcessUsage& commands = m.run.commands[i];
    EXPECT_EQ(commands.processes, 1u);
    EXPECT_GT(commands.user_seconds + commands.system_seconds, 0.0);
    EXPECT_GT(commands.peak_rss_bytes, 0);
    EXPECT_EQ(Read(dir / (std::to_string(i) + ".out")), std::to_string(i) + "/3\n");
  }
  EXPECT_GT(workload->ideal_seconds(m.run.records, engine->lanes(*workload), 2), 0.0);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(ExecOnEveryEngine, AStopEndsEveryCommandsGroupAndLeavesNoProcess) {
  TempDir dir;
  // Each task's shell ignores SIGTERM and starts a background sleep: only SIGKILL to the whole
  // group, after the grace, ends both.
  auto workload =
      MakeWorkload("exec", {{"cmd", "trap '' TERM; echo $$ > " + (dir / "{i}.pid") +
                                        "; sleep 30 & echo $! > " + (dir / "{i}.bg") + "; wait"},
                            {"shell", "true"},
                            {"tasks", "3"},
                            {"grace", "100ms"}});
  auto engine = MakeEngine(GetParam());
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(700ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine->run(*workload, stop.get_token());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  for (const TaskRecord& record : run.records) {
    EXPECT_TRUE(record.status == TaskStatus::kCancelled || record.status == TaskStatus::kNotRun)
        << TaskStatusName(record.status) << ": " << record.result;
  }
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    pid_t pid = std::stoi(Read(entry.path()));
    EXPECT_FALSE(Alive(pid)) << entry.path() << " " << pid;
    ++checked;
  }
  EXPECT_GT(checked, 0);
  EXPECT_TRUE(NoChildrenLeft());
}

INSTANTIATE_TEST_SUITE_P(Exec, ExecOnEveryEngine, ::testing::ValuesIn(testing::EngineNames()),
                         testing::TestName);

TEST(Exec, OnAsioATimeoutWhileCommandsStartLeavesNoProcessNorThread) {
  std::size_t threads = 0;
  for ([[maybe_unused]] const auto& t : fs::directory_iterator("/proc/self/task")) ++threads;
  // More commands than the spawner threads start at once, each outliving the deadline.
  auto workload = MakeWorkload("exec", {{"cmd", "sleep 30"}, {"tasks", "64"}, {"grace", "100ms"}});
  auto engine = MakeEngine("asio", {{"timeout", "300ms"}});
  auto started = std::chrono::steady_clock::now();
  EngineRun run = engine->run(*workload, std::stop_token());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
  EXPECT_EQ(run.ended_by, EndedBy::kTimeout);
  for (const TaskRecord& record : run.records) {
    EXPECT_TRUE(record.status == TaskStatus::kCancelled || record.status == TaskStatus::kNotRun)
        << TaskStatusName(record.status) << ": " << record.result;
  }
  std::size_t after = 0;
  for ([[maybe_unused]] const auto& t : fs::directory_iterator("/proc/self/task")) ++after;
  EXPECT_EQ(after, threads);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(Exec, ACommandThatCannotStartFailsItsTaskWithTheReason) {
  auto workload = MakeWorkload("exec", {{"cmd", "no-such-command-here {i}"}, {"tasks", "2"}});
  auto engine = MakeEngine("thread");
  testing::Measured m = testing::Measure(*workload, *engine);
  for (const TaskRecord& record : m.run.records) {
    EXPECT_EQ(record.status, TaskStatus::kFailed);
    EXPECT_NE(record.result.find("no-such-command-here: No such file or directory"),
              std::string::npos)
        << record.result;
  }
}

TEST(Exec, AnUnexpectedExitOrOutputFailsTheTask) {
  auto engine = MakeEngine("sequential");
  auto exits = MakeWorkload("exec", {{"cmd", "echo bad news; exit 3"},
                                     {"shell", "true"},
                                     {"tasks", "1"},
                                     {"expect-output", "good"}});
  EngineRun run = engine->run(*exits, {});
  EXPECT_EQ(run.records[0].status, TaskStatus::kFailed);
  EXPECT_NE(run.records[0].result.find("exited with status 3, expected exit status 0"),
            std::string::npos)
      << run.records[0].result;
  EXPECT_NE(run.records[0].result.find("last output: bad news"), std::string::npos);

  auto expected = MakeWorkload("exec", {{"cmd", "sh -c 'exit 3'"}, {"expect-exit", "3"}});
  for (const TaskRecord& record : engine->run(*expected, {}).records) {
    EXPECT_EQ(record.status, TaskStatus::kOk) << record.result;
  }

  auto prints =
      MakeWorkload("exec", {{"cmd", "echo bad news"}, {"tasks", "1"}, {"expect-output", "^good"}});
  run = engine->run(*prints, {});
  EXPECT_EQ(run.records[0].status, TaskStatus::kFailed);
  EXPECT_NE(run.records[0].result.find("does not match --expect-output '^good'"), std::string::npos)
      << run.records[0].result;
}

TEST(Exec, SetsEnvironmentFolderAndInputOfEachCommand) {
  TempDir dir;
  std::ofstream(dir / "in.txt") << "from stdin\n";
  fs::create_directory(dir / "work");
  auto workload = MakeWorkload("exec", {{"cmd", "echo \"$GREETING $(pwd)\"; cat"},
                                        {"shell", "true"},
                                        {"tasks", "1"},
                                        {"env", "GREETING=hello\nOTHER=1"},
                                        {"cwd", dir / "work"},
                                        {"stdin", dir / "in.txt"},
                                        {"output", dir / "out.txt"}});
  EngineRun run = MakeEngine("sequential")->run(*workload, {});
  ASSERT_EQ(run.records[0].status, TaskStatus::kOk) << run.records[0].result;
  EXPECT_EQ(Read(dir / "out.txt"),
            "hello " + fs::canonical(dir / "work").string() + "\nfrom stdin\n");
}

TEST(Exec, AFifoWithoutItsOtherEndNeverBlocksTheHarness) {
  TempDir dir;
  std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // No writer: the command reads an empty input. No reader: the task fails with the reason.
  auto reads = MakeWorkload("exec", {{"cmd", "cat"}, {"tasks", "1"}, {"stdin", fifo}});
  auto writes = MakeWorkload("exec", {{"cmd", "echo hi"}, {"tasks", "1"}, {"output", fifo}});
  auto engine = MakeEngine("thread");
  EngineRun run = engine->run(*reads, {});
  EXPECT_EQ(run.records[0].status, TaskStatus::kOk) << run.records[0].result;
  run = engine->run(*writes, {});
  EXPECT_EQ(run.records[0].status, TaskStatus::kFailed);
  EXPECT_NE(run.records[0].result.find("a FIFO with no reader"), std::string::npos)
      << run.records[0].result;
  EXPECT_TRUE(NoChildrenLeft());
}

TEST(Exec, ACommandFileGivesOneTaskPerLineOrCyclesThroughTasks) {
  TempDir dir;
  std::ofstream(dir / "cmds") << "# comment\ntrue\n\nsh -c 'exit 0'\nsleep 0\n";
  EXPECT_EQ(MakeWorkload("exec", {{"cmd-file", dir / "cmds"}})->task_count(), 3u);
  auto cycled = MakeWorkload("exec", {{"cmd-file", dir / "cmds"}, {"tasks", "7"}});
  EXPECT_EQ(cycled->task_count(), 7u);
  for (const TaskRecord& record : MakeEngine("pool")->run(*cycled, {}).records) {
    EXPECT_EQ(record.status, TaskStatus::kOk) << record.result;
  }
}

TEST(Exec, BadParametersNameTheOption) {
  TempDir dir;
  EXPECT_NE(MakeError({}).find("--cmd: exec needs a command"), std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"cmd-file", "x"}}).find("--cmd:"), std::string::npos);
  EXPECT_NE(MakeError({{"cmd-file", dir / "missing"}}).find("--cmd-file: cannot read"),
            std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "echo 'x"}}).find("--cmd: unterminated ' quote"), std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "echo {size}"}}).find("--cmd: unknown placeholder {size}"),
            std::string::npos);
  EXPECT_NE(
      MakeError({{"cmd", "true"}, {"output", dir / "out"}}).find("--output: must contain {i}"),
      std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"var", "1x=2"}}).find("--var: '1x=2' is not NAME=VALUE"),
            std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"env", "novalue"}}).find("--env: 'novalue'"),
            std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"cwd", dir / "nope"}}).find("--cwd:"), std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"stdin", dir / "nope"}}).find("--stdin: cannot read"),
            std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"expect-exit", "256"}}).find("--expect-exit"),
            std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"expect-output", "(("}}).find("--expect-output:"),
            std::string::npos);
  EXPECT_NE(MakeError({{"cmd", "true"}, {"expect-output", "(a)\\1"}})
                .find("--expect-output: '(a)\\1' is not a pattern RE2 accepts"),
            std::string::npos);
}

TEST(Exec, VarsArePlaceholdersAndTheLastDefinitionHolds) {
  TempDir dir;
  auto workload = MakeWorkload("exec", {{"cmd", "echo {size} {i}"},
                                        {"tasks", "1"},
                                        {"var", "size=1\nsize=2"},
                                        {"output", dir / "out"}});
  EngineRun run = MakeEngine("sequential")->run(*workload, {});
  ASSERT_EQ(run.records[0].status, TaskStatus::kOk) << run.records[0].result;
  EXPECT_EQ(Read(dir / "out"), "2 0\n");
  EXPECT_EQ(workload->parameters()["var"]["size"], "2");
}

TEST(Exec, TheComputeFloorIsTheCommandsCpuAndTheWaitFloorTheirLifetimes) {
  std::vector<TaskRecord> records(4);
  for (TaskRecord& record : records) {
    record.status = TaskStatus::kOk;
    record.end = record.start + 1s;
  }
  // The commands' usage, as an engine hands it over after a run.
  auto compute = MakeWorkload("exec", {{"cmd", "true"}, {"tasks", "4"}});
  auto wait = MakeWorkload("exec", {{"cmd", "true"}, {"tasks", "4"}, {"kind", "wait"}});
  for (std::size_t i = 0; i < 4; ++i) {
    compute->take_command_usage(i, {0.25, 0.25, 1024, 1});
    wait->take_command_usage(i, {0.25, 0.25, 1024, 1});
  }
  EXPECT_DOUBLE_EQ(compute->ideal_seconds(records, 1, 2), 2.0);  // 4 x 0.5 s CPU, one lane
  EXPECT_DOUBLE_EQ(compute->ideal_seconds(records, 4, 2), 1.0);  // on two cores
  // 3.25 s CPU in 1 s: on several cores at once
  compute->take_command_usage(0, {3, 0.25, 1024, 1});
  EXPECT_DOUBLE_EQ(compute->ideal_seconds(records, 1, 2), 2.5);
  EXPECT_DOUBLE_EQ(compute->ideal_seconds(records, 4, 2), 4.75 / 2);
  EXPECT_DOUBLE_EQ(wait->ideal_seconds(records, 1, 2), 4.0);
  EXPECT_DOUBLE_EQ(wait->ideal_seconds(records, 4, 2), 1.0);
}

}  // namespace
}  // namespace concbench
