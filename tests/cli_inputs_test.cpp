// Runs the real binary with hostile inputs and outputs: devices, FIFOs, symlinks, empty paths,
// non-finite numbers, deep JSON and unbounded sweeps. Each must end with exit 2 and a message
// naming the option or file, and never replace what it was not asked to create.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli_fixture.hpp"
#include "tests/read_fifo.hpp"

namespace {

using namespace concbench::testing;
namespace fs = std::filesystem;

using CliInputs = Cli;

// A run of a few milliseconds.
std::vector<std::string> Quick(std::vector<std::string> more) {
  std::vector<std::string> args = {"run",     "-w",  "sleep", "-e", "sequential", "--tasks", "1",
                                   "--delay", "1ms", "-r",    "1",  "--warmup",   "0",       "-q"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

class CliOutputs : public Cli {
 protected:
  // A character device like /dev/`name` (1, `minor`) made in dir_, so that a broken build run
  // as root replaces a node of its own, never the machine's; without the right to make nodes,
  // /dev/`name` itself (then it cannot be replaced either).
  std::string Device(const std::string& name, unsigned minor) {
    std::string path = (dir_ / name).string();
    if (::mknod(path.c_str(), S_IFCHR | 0666, ::makedev(1, minor)) == 0) return path;
    return "/dev/" + name;
  }

  // Runs concbench with its stdout going to `out` (a device, say), stderr to dir_/err.
  Outcome RunWithStdout(const std::string& out, const std::vector<std::string>& args) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd = ::open(out.c_str(), O_WRONLY);
      int err = ::open((dir_ / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(err, 2);
      std::vector<char*> argv = {const_cast<char*>(binary_)};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(binary_, argv.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    Outcome outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.err = ReadAll(dir_ / "err");
    return outcome;
  }
};

TEST_F(CliOutputs, DevicesAreWrittenThroughNotReplaced) {
  std::string null = Device("null", 3), full = Device("full", 7);
  std::string out = (dir_ / "stdout").string();  // as /dev/stdout is
  fs::create_symlink("/proc/self/fd/1", out);
  Outcome o = Run(Quick({"--json", null, "--export-csv", out}));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(fs::is_character_file(null));
  EXPECT_TRUE(fs::is_symlink(out));
  // The CSV alone on stdout, as with --json /dev/stdout; the table goes to stderr.
  EXPECT_TRUE(o.out.starts_with("run,workload,engine,parameters,")) << o.out;
  EXPECT_EQ(o.out.find("median ± stddev"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("median ± stddev"), std::string::npos) << o.err;

  o = Run(Quick({"--json", full}));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--json: cannot write '" + full + "': No space left on device"),
            std::string::npos)
      << o.err;
  EXPECT_TRUE(fs::is_character_file(full));
}

TEST_F(CliOutputs, SymlinksStayLinksAndFifosStayFifos) {
  fs::create_directory(dir_ / "real");
  fs::create_symlink(dir_ / "real" / "r.json", dir_ / "link.json");
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::future<std::string> read = std::async(std::launch::async, [&] { return ReadFifo(fifo); });
  Outcome o = Run(Quick({"--json", (dir_ / "link.json").string(), "--export-csv", fifo}));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.json"));
  EXPECT_EQ(nlohmann::json::parse(ReadAll(dir_ / "real" / "r.json"))["schema"], "concbench/1");
  EXPECT_NE(read.get().find("workload,engine"), std::string::npos);
  EXPECT_TRUE(fs::is_fifo(fifo));
}

// A run rewrites its files as results finish; a device or FIFO gets one document, at the end.
TEST_F(CliOutputs, DevicesAndFifosGetOneDocumentAtTheEnd) {
  std::string out = (dir_ / "stdout").string();
  fs::create_symlink("/proc/self/fd/1", out);
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::future<std::string> read = std::async(std::launch::async, [&] { return ReadFifo(fifo); });
  Outcome o =
      Run({"run", "-w", "sleep", "-e", "sequential", "--tasks", "1", "-r", "2", "--warmup", "0",
           "-q", "--sweep", "delay=200ms,250ms,300ms", "--json", out, "--export-csv", fifo});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  std::size_t documents = 0;
  for (std::size_t at = o.out.find("\"schema\""); at != std::string::npos;
       at = o.out.find("\"schema\"", at + 1)) {
    ++documents;
  }
  EXPECT_EQ(documents, 1u) << o.out;
  std::string csv = read.get();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4) << csv;  // the header and 3 results
}

// A reader that went away (`concbench list | head -1`) ends the command quietly, with its status.
TEST_F(CliOutputs, AClosedPipeEndsQuietly) {
  auto closed_pipe = [] {
    int ends[2];
    if (::pipe(ends) != 0) ::_exit(126);
    ::close(ends[0]);
    ::dup2(ends[1], 1);
  };
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"}, {"--help"}, {"run", "--help"}, Quick({})}) {
    Outcome o = Wait(Start(args, closed_pipe));
    EXPECT_EQ(o.exit_code, 0) << args.front() << ": " << o.err;
    EXPECT_EQ(o.err.find("cannot write to stdout"), std::string::npos) << o.err;
  }
}

TEST_F(CliOutputs, AFullStdoutFailsEveryCommand) {
  Outcome o = RunWithStdout("/dev/full", {"list"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("cannot write to stdout: No space left on device"), std::string::npos)
      << o.err;
  o = RunWithStdout("/dev/full", Quick({}));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("cannot write to stdout"), std::string::npos) << o.err;
  o = RunWithStdout("/dev/full", {"--help"});
  EXPECT_EQ(o.exit_code, 2);
  o = RunWithStdout("/dev/null", {"list"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
}

TEST_F(CliInputs, EmptyPathsAndNonFiniteNumbersExitTwoNamingTheOption) {
  std::ofstream(dir_ / "r.json") << R"({"schema": "concbench/1", "results": []})";
  std::string results = (dir_ / "r.json").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {Quick({"--json", ""}), "--json: an empty path"},
      {Quick({"--trace", ""}), "--trace: an empty path"},
      {Quick({"--export-csv", ""}), "--export-csv: an empty path"},
      {Quick({"--save-baseline", ""}), "--save-baseline: an empty path"},
      {Quick({"--baseline-dir", ""}), "--baseline-dir: an empty path"},
      {{"run", "--suite", ""}, "--suite: an empty path"},
      {{"run", "--suite", results, "--time-scale", "nan"}, "--time-scale: 'nan' is not a finite"},
      {{"metg", "--json", ""}, "--json: an empty path"},
      {{"metg", "--threshold", "nan"}, "--threshold: 'nan' is not a finite number"},
      {{"compare", results, results, "--alpha", "nan"}, "--alpha: 'nan' is not a finite number"},
      {{"compare", results, results, "--threshold", "nan"}, "--threshold: 'nan' is not a finite"},
      {{"compare", results, results, "--threshold", "inf"}, "--threshold: 'inf' is not a finite"},
      {{"compare", results, "--baseline", ""}, "--baseline: an empty path"},
      {{"compare", "", results}, "an empty path"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.message;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << o.err;
  }
}

TEST_F(CliInputs, AThreadStackOutsideThePlatformsLimitsExitsTwoNamingTheLimit) {
  for (auto [size, message] : {std::pair{"1KiB", "--stack-size: at least "},
                               {"4GiB", "--stack-size: at most 1GiB"},
                               {"lots", "--stack-size"}}) {
    Outcome o = Run({"run", "-w", "sleep", "-e", "thread", "--tasks", "1", "--delay", "1ms", "-r",
                     "1", "--warmup", "0", "--stack-size", size});
    EXPECT_EQ(o.exit_code, 2) << size;
    EXPECT_NE(o.err.find(message), std::string::npos) << o.err;
  }
  Outcome o = Run({"run", "-w", "sleep", "-e", "thread", "--tasks", "3", "--delay", "1ms", "-r",
                   "1", "--warmup", "0", "--stack-size", "256KiB"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
}

TEST_F(CliInputs, HostileJsonExitsTwoNamingTheFileAndPlace) {
  std::string deep = (dir_ / "deep.json").string();
  std::ofstream(deep) << std::string(100'000, '[') << std::string(100'000, ']');
  std::string big = (dir_ / "big.json").string();
  std::ofstream(big) << "{\"schema\": \"concbench/1\",\n \"results\": [1e400]}";
  std::string suite = (dir_ / "suite.json").string();
  std::ofstream(suite) << "{\"runs\": [" << std::string(100'000, '{');
  std::string huge = (dir_ / "huge.json").string();
  std::ofstream(huge) << "[";
  fs::resize_file(huge, (std::uintmax_t{64} << 20) + 1);  // sparse: made at once
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"compare", deep, deep}, deep + ": line 1, column 257: nested deeper than 256 levels"},
      {{"compare", big, big}, big + ": line 2, column 14: the number 1e400 is beyond the range"},
      {{"run", "--suite", suite}, suite + ": line 1, column 265: nested deeper than 256 levels"},
      {{"compare", huge, big}, huge + ": larger than 64 MiB"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.message;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << o.err;
  }
}

// Each once spun without end or ran out of memory.
TEST_F(CliInputs, SweepsThatCannotEndExitTwoBeforeAnyRun) {
  for (const char* spec : {"tasks=nan..10:+1", "tasks=1..inf:x2", "tasks=1..2:+1e-300",
                           "tasks=1..100000000:+1", "delay=1us..86400s:+1us"}) {
    auto started = std::chrono::steady_clock::now();
    Outcome o = Run({"run", "-w", "sleep", "-e", "sequential", "--sweep", spec});
    EXPECT_EQ(o.exit_code, 2) << spec;
    EXPECT_EQ(o.err.rfind("concbench run: --sweep: ", 0), 0u) << o.err;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << spec;
  }
  Outcome o = Run({"run", "-w", "sleep", "-e", "sequential", "--sweep", "tasks=1..200:+1",
                   "--sweep", "workers=1..100:+1"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--sweep: the grid has more than 10000 points"), std::string::npos) << o.err;
}

}  // namespace
