// The Python engines through the real binary, on Debian's interpreter: every engine runs the same
// tasks verified, the user's functions run where their kind fits, bad input is exit 2 before
// anything runs, and a deadline or Ctrl-C leaves no interpreter or pool worker behind.
#include <signal.h>
#include <stdlib.h>

#include <gmock/gmock.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

using Clock = std::chrono::steady_clock;
const std::string kPython = "/usr/bin/python3";
const std::string kExamples = std::string(CONCBENCH_SOURCE_DIR) + "/examples/python";

class CliPython : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    // Every process started from here on carries this marker, so leftovers can be found.
    mark_ = "concbench-python-test-" + std::to_string(::getpid());
    ::setenv("CONCBENCH_TEST_MARK", mark_.c_str(), 1);
  }

  // True when no process but this one carries the marker, waiting up to 10 s for them to go.
  bool NoneLeft() {
    std::string wanted = "CONCBENCH_TEST_MARK=" + mark_;
    for (auto give_up = Clock::now() + 10s; Clock::now() < give_up;) {
      bool any = false;
      for (const auto& entry : fs::directory_iterator("/proc")) {
        std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (std::stol(name) == ::getpid()) continue;
        std::string environ = ReadAll(entry.path() / "environ");
        std::replace(environ.begin(), environ.end(), '\0', '\n');
        if (("\n" + environ + "\n").find("\n" + wanted + "\n") != std::string::npos) any = true;
      }
      if (!any) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::string Json() { return (dir_ / "r.json").string(); }
  nlohmann::json Results() { return nlohmann::json::parse(ReadAll(Json()))["results"]; }

  std::string mark_;
};

TEST_F(CliPython, EveryPythonEngineRunsTheSameTasksVerified) {
  Outcome o = Run({"run",     "-w",      "sleep,primes,blocking",
                   "-e",      "python",  "--python",
                   kPython,   "--tasks", "3",
                   "--delay", "20ms",    "--count",
                   "2",       "--min",   "100000",
                   "-r",      "1",       "--warmup",
                   "0",       "-q",      "--json",
                   Json()});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json results = Results();
  ASSERT_EQ(results.size(), 18u);  // 3 workloads on 6 engines
  for (const nlohmann::json& r : results) {
    EXPECT_TRUE(r["verified"]) << r["command"] << ": " << r["unverified_reason"];
    EXPECT_EQ(r["settings"]["implementation"], "CPython") << r["command"];
    EXPECT_EQ(r["settings"]["python"], kPython);
    EXPECT_TRUE(r["settings"].contains("gil_enabled"));
    for (const nlohmann::json& task : r["timeline"]) EXPECT_LE(task[1], task[2]) << task;
  }
}

TEST_F(CliPython, SpinFileHttpAndExecRunInPythonAsInCpp) {
  Outcome o = Run({"run",
                   "-w",
                   "spin,file,http,exec",
                   "-e",
                   "python,sequential",
                   "--python",
                   kPython,
                   "--tasks",
                   "6",
                   "--grain",
                   "200us",
                   "--size",
                   "3000",
                   "--latency",
                   "10ms",
                   "--cmd",
                   "sh -c 'echo task {i}'",
                   "--expect-output",
                   "^task [0-5]$",
                   "-r",
                   "1",
                   "--warmup",
                   "0",
                   "-q",
                   "--json",
                   Json()});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json results = Results();
  ASSERT_EQ(results.size(), 28u);  // 4 workloads on 6 Python engines and sequential
  for (const nlohmann::json& r : results) {
    EXPECT_TRUE(r["verified"]) << r["command"] << ": " << r["unverified_reason"];
    if (r["engine"] == "sequential") continue;
    EXPECT_GT(r["metrics"]["interpreter_startup_s"].get<double>(), 0) << r["command"];
    // The interpreter is no fork of the harness: its memory and its workers' are summed.
    EXPECT_EQ(r["memory_method"], "rss-sum") << r["command"];
    for (const auto& warning : r["warnings"]) {
      EXPECT_EQ(warning.get<std::string>().find("smaps_rollup"), std::string::npos) << warning;
    }
    if (r["workload"] == "exec") {  // each command waited for, its usage recorded
      EXPECT_EQ(r["commands"]["processes"], 6) << r["command"];
      EXPECT_GT(r["commands"]["peak_rss_bytes"].get<double>(), 0) << r["command"];
    }
  }
  // A command's exit status and output are checked as in C++, also on the event loop.
  for (const char* engine : {"py-pool", "py-asyncio"}) {
    Outcome exit = Run({"run", "-w", "exec", "--cmd", "sh -c 'exit {i}'", "--tasks", "2", "-e",
                        engine, "--python", kPython, "-r", "1", "--warmup", "0", "-q"});
    EXPECT_EQ(exit.exit_code, 1) << engine;
    EXPECT_THAT(exit.out, ::testing::HasSubstr("task 1 failed: exited with status 1, expected "
                                               "exit status 0"));
    Outcome output =
        Run({"run", "-w", "exec", "--cmd", "echo {i}", "--tasks", "2", "--expect-output", "^0$",
             "-e", engine, "--python", kPython, "-r", "1", "--warmup", "0", "-q"});
    EXPECT_EQ(output.exit_code, 1) << engine;
    EXPECT_THAT(output.out, ::testing::HasSubstr("task 1: its output does not match "
                                                 "--expect-output '^0$'; last output: 1"));
    // The accepted statuses as in C++ (a list, or any with -i); the output shown, on stderr.
    std::vector<std::string> args = {"run", "-w",       "exec",     "--tasks", "2",
                                     "-e",  engine,     "--python", kPython,   "-r",
                                     "1",   "--warmup", "0",        "--cmd"};
    auto with = [&](std::vector<std::string> more) {
      more.insert(more.begin(), args.begin(), args.end());
      return Run(more);
    };
    Outcome listed =
        with({"sh -c 'echo shown-{i}; exit {i}'", "--expect-exit", "0,1", "--show-output"});
    EXPECT_EQ(listed.exit_code, 0) << engine << ": " << listed.err << listed.out;
    EXPECT_THAT(listed.err, ::testing::HasSubstr("shown-1\n"));
    EXPECT_EQ(with({"sh -c 'exit 5'", "-i"}).exit_code, 0) << engine;
    Outcome refused = with({"sh -c 'exit 4'", "--expect-exit", "0,3"});
    EXPECT_EQ(refused.exit_code, 1) << engine;
    EXPECT_THAT(refused.out, ::testing::HasSubstr("exited with status 4, expected exit status 0 "
                                                  "or 3"));
  }
}

TEST_F(CliPython, TheCounterAndQueueLessonsHoldInPython) {
  Outcome o =
      Run({"run", "-w", "counter", "-e", "py-thread,py-asyncio,py-process", "--python", kPython,
           "--tasks", "2", "--pause", "300ms", "-r", "1", "--warmup", "0", "-q", "--json", Json()});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::map<std::string, long> final_value;
  for (const nlohmann::json& r : Results()) {
    EXPECT_TRUE(r["verified"]) << r["command"];
    final_value[r["engine"]] = r["metrics"]["final"].get<long>();
  }
  // Threads read the same value before either writes; one loop loses nothing; forked workers
  // update their own copies, so the interpreter's counter stays 0.
  EXPECT_EQ(final_value,
            (std::map<std::string, long>{{"py-thread", 1}, {"py-asyncio", 2}, {"py-process", 0}}));
  Outcome locked = Run({"run",     "-w",     "counter",  "-e",       "py-thread,py-process",
                        "--lock",  "mutex",  "--shared", "--python", kPython,
                        "--tasks", "3",      "--pause",  "20ms",     "--workers",
                        "3",       "-r",     "1",        "--warmup", "0",
                        "-q",      "--json", Json()});
  ASSERT_EQ(locked.exit_code, 0) << locked.err;
  for (const nlohmann::json& r : Results()) EXPECT_EQ(r["metrics"]["final"], 3) << r["command"];

  Outcome queue =
      Run({"run",      "-w",          "queue",   "-e",     "py-thread,py-asyncio,py-uvloop",
           "--python", kPython,       "--items", "2000",   "--producers",
           "3",        "--consumers", "2",       "-r",     "1",
           "--warmup", "0",           "-q",      "--json", Json()});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  ASSERT_EQ(Results().size(), 3u);
  for (const nlohmann::json& r : Results()) {
    EXPECT_TRUE(r["verified"]) << r["command"];
    EXPECT_EQ(r["metrics"]["items_consumed"], 2000) << r["command"];
  }
  // The queue lives in one interpreter's memory: forked workers would each have their own.
  Outcome refused = Run({"run", "-w", "queue", "-e", "py-process", "--python", kPython});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, ::testing::HasSubstr("queue cannot run on py-process: its tasks "
                                                "would run in worker processes, which share no "
                                                "queue"));
}

TEST_F(CliPython, TheUsersFunctionsRunWhereTheirKindFits) {
  // pycall's run of `call` on `engines`, once, with `more` options; every result verified.
  auto run_verified = [&](const std::string& call, const std::string& engines,
                          std::vector<std::string> more) {
    std::vector<std::string> args = {
        "run",      "-w",    "pycall", "--call", call,       "--path", kExamples, "-e",     engines,
        "--python", kPython, "-r",     "1",      "--warmup", "0",      "-q",      "--json", Json()};
    args.insert(args.end(), more.begin(), more.end());
    Outcome o = Run(args);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    for (const nlohmann::json& r : Results()) EXPECT_TRUE(r["verified"]) << r["command"];
  };
  run_verified("tasks:count_primes", "py-sequential,py-thread,py-pool,py-process",
               {"--args", "1000", "--tasks", "4", "--expect-output", "^168$"});
  run_verified("tasks:wait", "py-asyncio,py-uvloop", {"--args", "0.01", "--kind", "wait"});
  // An exception fails its task with its type and message: exit 1.
  Outcome o =
      Run({"run", "-w", "pycall", "--call", "tasks:fail_odd", "--path", kExamples, "--tasks", "2",
           "-e", "py-pool", "--python", kPython, "-r", "1", "--warmup", "0", "-q"});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("task 1 failed: ValueError: task 1 is odd"), std::string::npos) << o.out;
}

TEST_F(CliPython, BadInputIsExitTwoBeforeAnythingRuns) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<std::string> pycall = {"-w", "pycall", "--path", kExamples, "--call"};
  std::vector<Case> cases = {
      {{"no_such_module:f", "-e", "py-thread"}, "cannot import 'no_such_module'"},
      {{"tasks:missing", "-e", "py-thread"}, "tasks has no 'missing'"},
      {{"tasks:wait", "-e", "py-thread"}, "is an async def"},
      {{"tasks:sleep", "-e", "py-asyncio"}, "is a plain function"},
      {{"no-colon", "-e", "py-thread"}, "--call: 'no-colon'"},
  };
  for (Case& c : cases) {
    std::vector<std::string> args = {"run", "--python", kPython, "-q"};
    args.insert(args.end(), pycall.begin(), pycall.end());
    args.insert(args.end(), c.args.begin(), c.args.end());
    Outcome o = Run(args);
    EXPECT_EQ(o.exit_code, 2) << c.expected << ": " << o.err;
    EXPECT_NE(o.err.find(c.expected), std::string::npos) << o.err;
  }
  Outcome cpp = Run({"run", "-w", "pycall", "--call", "tasks:sleep", "-e", "thread", "-q"});
  EXPECT_EQ(cpp.exit_code, 2);
  EXPECT_NE(cpp.err.find("only the Python engines"), std::string::npos) << cpp.err;
  Outcome failing = Run(
      {"run", "-w", "sleep", "--fail-rate", "0.5", "-e", "py-thread", "--python", kPython, "-q"});
  EXPECT_EQ(failing.exit_code, 2);
  EXPECT_THAT(failing.err, ::testing::HasSubstr("sleep cannot run on py-thread: it has no Python "
                                                "form as made"));
  Outcome o = Run({"run", "-w", "sleep", "-e", "py-thread", "--python", "/no/such/python", "-q"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--python: /no/such/python: No such file or directory"), std::string::npos)
      << o.err;
  EXPECT_TRUE(NoneLeft());
}

TEST_F(CliPython, ADeadlineEndsTheRunAndLeavesNoInterpreterOrWorker) {
  for (const char* engine : {"py-thread", "py-process", "py-asyncio"}) {
    auto began = Clock::now();
    Outcome o = Run({"run", "-w",       "sleep",    "--delay", "30s",       "--tasks", "3",
                     "-e",  engine,     "--python", kPython,   "--timeout", "500ms",   "-r",
                     "1",   "--warmup", "0",        "-q",      "--json",    Json()});
    EXPECT_LT(Clock::now() - began, 25s) << engine;  // not the tasks' 30 s
    EXPECT_NE(o.exit_code, 2) << engine << ": " << o.err;
    nlohmann::json tasks = Results()[0]["tasks"];
    EXPECT_EQ(tasks["completed"], 0) << engine << ": " << tasks;
    EXPECT_TRUE(NoneLeft()) << engine;
    // A command a task started ends with its process group.
    Outcome exec =
        Run({"run",  "-w",       "exec",  "--cmd",     "sleep 30", "--tasks", "2",     "-e",
             engine, "--python", kPython, "--timeout", "500ms",    "--grace", "200ms", "-r",
             "1",    "--warmup", "0",     "-q",        "--json",   Json()});
    EXPECT_NE(exec.exit_code, 2) << engine << ": " << exec.err;
    // Stopped by the deadline, not failed.
    EXPECT_EQ(Results()[0]["tasks"]["cancelled"], 2) << engine << ": " << Results()[0]["tasks"];
    EXPECT_TRUE(NoneLeft()) << engine << " (exec)";
  }
}

TEST_F(CliPython, CtrlCEndsTheRunWithItsInterpreter) {
  // Six primes near 10^17 in CPython take seconds of CPU each, so the run is still going (or its
  // interpreter still starting) when Ctrl-C comes; the workers stuck in CPU work end with it.
  std::string prime = "100000000000000003";
  std::string numbers = prime;
  for (int i = 1; i < 6; ++i) numbers += "," + prime;
  pid_t pid = Start({"run", "-w", "primes", "-e", "py-process", "--python", kPython, "--numbers",
                     numbers, "-r", "1", "--warmup", "0", "-q"});
  std::this_thread::sleep_for(1500ms);
  ::kill(pid, SIGINT);
  Outcome o = Wait(pid);
  EXPECT_EQ(o.exit_code, 130) << o.err;
  EXPECT_TRUE(NoneLeft());
}

}  // namespace
}  // namespace concbench::testing
