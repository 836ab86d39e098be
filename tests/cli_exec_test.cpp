// `run -w exec` through the real binary: the user's own commands, swept, gated, interrupted.
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

// --env is repeatable; --var's placeholder is swept.
TEST_F(Cli, ExecSweepsAPlaceholderAndReportsItsCommands) {
  fs::path json = dir_ / "results.json";
  Outcome o = Run({"run",
                   "-w",
                   "exec",
                   "--shell",
                   "--cmd",
                   "test {size} -gt 0 && echo {size}",
                   "--var",
                   "size=1",
                   "--sweep",
                   "size=10,20",
                   "--expect-output",
                   "^[0-9]+$",
                   "-e",
                   "sequential,asio",
                   "--tasks",
                   "2",
                   "-r",
                   "1",
                   "--warmup",
                   "0",
                   "--json",
                   json.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 4u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["commands"]["processes"], 2.0) << r.dump();
    EXPECT_EQ(r["settings"]["var"]["size"], r["sweep"]["size"]) << r.dump();
  }
  EXPECT_EQ(doc["results"][0]["sweep"]["size"], "10");
  EXPECT_EQ(doc["results"][3]["sweep"]["size"], "20");
}

TEST_F(Cli, ExecWithoutACommandOrWithAMissingOneSaysWhy) {
  Outcome o = Run({"run", "-w", "exec"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--cmd: exec needs a command"), std::string::npos) << o.err;
  o = Run({"run", "-w", "exec", "--cmd", "no-such-command-here", "-e", "sequential", "-r", "1",
           "--warmup", "0"});
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  EXPECT_NE((o.out + o.err).find("no-such-command-here: No such file or directory"),
            std::string::npos)
      << o.err << o.out;
}

// Output kept in a device is never read back (/dev/full reads forever), and a large output is
// read only as far as the check needs: its end.
TEST_F(Cli, ExecReadsBackOnlyTheOutputItNeeds) {
  Outcome o = Run({"run", "-w", "exec", "--shell", "--cmd", "echo hi; exit 1", "--output",
                   "/dev/full", "--tasks", "1", "-e", "sequential", "-r", "1", "--warmup", "0",
                   "-q", "--json", (dir_ / "r.json").string()});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_NE(o.out.find("exited with status 1, expected exit status 0"), std::string::npos) << o.out;
  // 18 MiB on one line, then the answer: found in the last 16 MiB.
  o = Run({"run", "-w", "exec", "--shell", "--cmd",
           "head -c 18874368 /dev/zero | tr '\\0' x; echo; echo answer 42", "--expect-output",
           "^answer 4[0-9]$", "--tasks", "1", "-e", "sequential", "-r", "1", "--warmup", "0", "-q",
           "--json", (dir_ / "r.json").string()});
  EXPECT_EQ(o.exit_code, 0) << o.err << o.out;
}

TEST_F(Cli, SigintDuringExecLeavesNoCommandBehind) {
  for (const char* engine : {"thread", "process", "asio"}) {
    SCOPED_TRACE(engine);
    // The marker makes this test's sleeps findable among the machine's processes.
    pid_t pid = Start({"run", "-w", "exec", "--cmd", "sleep 100.{i}73", "--tasks", "3", "-e",
                       engine, "-r", "1", "--warmup", "0"});
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!AnyProcessMentions("sleep 100.073") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(AnyProcessMentions("sleep 100.073"));
    ::kill(pid, SIGINT);
    Outcome o = Wait(pid);
    EXPECT_EQ(o.exit_code, 130) << o.err;
    EXPECT_FALSE(AnyProcessMentions("sleep 100."));
  }
}

}  // namespace
}  // namespace concbench::testing
