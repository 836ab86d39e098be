// `run -w exec` through the real binary, as hyperfine's users expect it: setup, prepare,
// conclude and cleanup commands around the runs, the commands' output shown, exit statuses
// accepted.
#include <pty.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

// Each step and each task appends a line to `log` in the commands' folder (--cwd).
std::vector<std::string> StepsArgs(const fs::path& dir) {
  return {"run",        "-w",
          "exec",       "--shell",
          "--cmd",      "echo task {tag} $WHO >> log",
          "--tasks",    "1",
          "--var",      "tag=t",
          "--env",      "WHO=me",
          "--cwd",      dir.string(),
          "--setup",    "echo setup {tag} $WHO >> log",
          "--prepare",  "echo prepare >> log",
          "--conclude", "echo conclude >> log",
          "--cleanup",  "echo cleanup {n} >> log",
          "--warmup",   "1",
          "-r",         "2"};
}

// `args` with the value of `option` replaced by `value`.
std::vector<std::string> With(std::vector<std::string> args, const std::string& option,
                              const std::string& value) {
  auto at = std::find(args.begin(), args.end(), option);
  if (at != args.end() && at + 1 != args.end()) *(at + 1) = value;
  return args;
}

int Count(const std::string& text, const std::string& part) {
  int count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(Cli, ExecStepsRunOncePerPointAndAroundEachRun) {
  fs::path json = dir_ / "results.json";
  std::vector<std::string> args = StepsArgs(dir_);
  args.insert(args.end(), {"-e", "sequential,asio", "--json", json.string()});
  Outcome o = Run(args);
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  // Interleaved: each point's warmup and first repetition, then the second ones in turn, each
  // point's cleanup right after its last run.
  std::vector<std::string> run = {"prepare", "task t me", "conclude"};
  std::vector<std::string> expected = {"setup t me"};
  for (int i = 0; i < 2; ++i) expected.insert(expected.end(), run.begin(), run.end());
  expected.push_back("setup t me");
  for (int i = 0; i < 2; ++i) expected.insert(expected.end(), run.begin(), run.end());
  for (int point = 0; point < 2; ++point) {
    expected.insert(expected.end(), run.begin(), run.end());
    expected.push_back("cleanup 1");
  }
  EXPECT_EQ(Lines(ReadAll(dir_ / "log")), expected);
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 2u);
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["settings"]["setup"], "echo setup {tag} $WHO >> log") << r.dump();
    EXPECT_EQ(r["settings"]["prepare"], "echo prepare >> log") << r.dump();
    EXPECT_EQ(r["settings"]["conclude"], "echo conclude >> log") << r.dump();
    EXPECT_EQ(r["settings"]["cleanup"], "echo cleanup {n} >> log") << r.dump();
  }
}

TEST_F(Cli, ExecAFailingStepStopsItsPointWithExitOne) {
  fs::path json = dir_ / "results.json";
  std::vector<std::string> args = With(StepsArgs(dir_), "--prepare", "echo prepare >> log; exit 3");
  args.insert(args.end(), {"-e", "sequential", "--json", json.string()});
  Outcome o = Run(args);
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  EXPECT_NE(o.err.find("--prepare 'echo prepare >> log; exit 3': exited with status 3"),
            std::string::npos)
      << o.err;
  // Nothing ran after the failing prepare but the cleanup of what setup made.
  EXPECT_EQ(Lines(ReadAll(dir_ / "log")),
            (std::vector<std::string>{"setup t me", "prepare", "cleanup 1"}));
  nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
  ASSERT_EQ(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["verified"], false);
  EXPECT_NE(doc["results"][0]["problems"][0].get<std::string>().find("--prepare"),
            std::string::npos)
      << doc.dump();

  // A setup that cannot start or fails: no run, no cleanup, the next point still measured.
  fs::remove(dir_ / "log");
  args = With(StepsArgs(dir_), "--setup", "echo {tag} >> tried; exit 7");
  args.insert(args.end(), {"-e", "sequential", "--sweep", "tag=a,b", "--json", json.string()});
  o = Run(args);
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  for (const char* tag : {"a", "b"}) {  // the command as run, with the point's swept value
    EXPECT_NE(o.err.find("--setup 'echo " + std::string(tag) +
                         " >> tried; exit 7': exited with status 7"),
              std::string::npos)
        << o.err;
  }
  EXPECT_EQ(ReadAll(dir_ / "tried"), "a\nb\n");  // the swept value, point by point
  EXPECT_FALSE(fs::exists(dir_ / "log")) << ReadAll(dir_ / "log");
  // Its results file, whose points have no run, is read back: compare says why they do not pair.
  o = Run({"compare", json.string(), json.string()});
  EXPECT_NE(o.out.find("the base run is not verified: --setup"), std::string::npos)
      << o.out << o.err;
  EXPECT_NE(o.exit_code, 2) << o.err;
}

TEST_F(Cli, ExecStepsAreStoppedWithTheRun) {
  // A copy of sleep whose command line names this test's folder, started by the setup's shell.
  std::string nap = (dir_ / "nap").string();
  pid_t pid = Start({"run", "-w", "exec", "--cmd", "true", "--setup",
                     "cp /bin/sleep '" + nap + "' && '" + nap + "' 30", "-e", "sequential", "-r",
                     "1", "--warmup", "0"});
  for (int i = 0; i < 500 && !fs::exists(nap); ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(AnyProcessMentions(nap));
  auto stopped = std::chrono::steady_clock::now();
  ::kill(pid, SIGINT);
  Outcome o = Wait(pid);
  EXPECT_EQ(o.exit_code, 130) << o.err;
  EXPECT_LT(std::chrono::steady_clock::now() - stopped, 15s);  // not the setup's 30 s
  EXPECT_FALSE(AnyProcessMentions(nap));
}

TEST_F(Cli, ExecShowOutputLetsTheCommandsSpeak) {
  Outcome o = Run({"run", "-w", "exec", "--shell", "--cmd", "echo out-{i}; echo err-{i} >&2",
                   "--setup", "echo setup-says", "--tasks", "2", "--show-output", "-e",
                   "sequential,process", "-r", "1", "--warmup", "0"});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
  // Once per engine: the process engine's workers let it through too.
  EXPECT_EQ(Count(o.out, "out-0\n"), 2) << o.out;
  EXPECT_EQ(Count(o.out, "out-1\n"), 2) << o.out;
  EXPECT_EQ(Count(o.err, "err-1\n"), 2) << o.err;
  EXPECT_EQ(Count(o.out, "setup-says\n"), 2) << o.out;              // once per point
  EXPECT_EQ(o.err.find("repetition"), std::string::npos) << o.err;  // no progress between them

  o = Run({"run", "-w", "exec", "--cmd", "true", "--show-output", "--output",
           (dir_ / "{i}.out").string()});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--show-output: conflicts with --output"), std::string::npos) << o.err;
}

// What the program wrote on stderr when stderr is a terminal (a pseudo-terminal here).
std::string StderrOnATerminal(const std::function<pid_t(std::function<void()>)>& start,
                              const std::function<void(pid_t)>& wait) {
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return "openpty failed";
  pid_t pid = start([slave] {
    ::dup2(slave, 2);
    ::unsetenv("CI");
  });
  ::close(slave);
  std::string text;
  std::thread reader([&] {
    char buffer[4096];
    for (ssize_t got; (got = ::read(master, buffer, sizeof buffer)) > 0;) {
      text.append(buffer, static_cast<std::size_t>(got));
    }
  });
  wait(pid);
  reader.join();
  ::close(master);
  return text;
}

TEST_F(Cli, ExecShowOutputTurnsTheProgressDisplayOff) {
  auto on_a_terminal = [&](bool show) {
    std::vector<std::string> args = {"run",     "-w",       "exec", "--cmd",      "sleep 0.4",
                                     "--tasks", "1",        "-e",   "sequential", "-r",
                                     "3",       "--warmup", "0"};
    if (show) args.push_back("--show-output");
    return StderrOnATerminal([&](std::function<void()> in_child) { return Start(args, in_child); },
                             [&](pid_t pid) { EXPECT_EQ(Wait(pid).exit_code, 0); });
  };
  EXPECT_NE(on_a_terminal(false).find("repetition"), std::string::npos);
  EXPECT_EQ(on_a_terminal(true).find("repetition"), std::string::npos);
}

TEST_F(Cli, ExecAcceptsTheListedExitStatusesOrAny) {
  auto run = [&](const std::string& status, const std::vector<std::string>& accept) {
    std::vector<std::string> args = {"run",
                                     "-w",
                                     "exec",
                                     "--cmd",
                                     "sh -c 'exit " + status + "'",
                                     "-e",
                                     "sequential,asio",
                                     "--tasks",
                                     "2",
                                     "-r",
                                     "1",
                                     "--warmup",
                                     "0"};
    args.insert(args.end(), accept.begin(), accept.end());
    return Run(args);
  };
  Outcome o = run("3", {"--expect-exit", "0,3"});
  EXPECT_EQ(o.exit_code, 0) << o.err << o.out;
  o = run("4", {"--expect-exit", "0,3"});
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  EXPECT_NE((o.out + o.err).find("exited with status 4, expected exit status 0 or 3"),
            std::string::npos)
      << o.err << o.out;
  for (const char* ignore : {"--ignore-failure", "-i"}) {
    o = run("4", {ignore});
    EXPECT_EQ(o.exit_code, 0) << ignore << o.err << o.out;
  }
  o = run("0", {"--expect-exit", "0,x"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--expect-exit"), std::string::npos) << o.err;
  o = run("0", {"-i", "--expect-exit", "1"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--ignore-failure: conflicts with --expect-exit 1"), std::string::npos)
      << o.err;
}

}  // namespace
}  // namespace concbench::testing
