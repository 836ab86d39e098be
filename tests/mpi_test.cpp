// The mpi engine through the real binary: mpirun started by --ranks and by hand, on sleep and
// primes, with a deadline, a stop, and a rank killed mid-run. Each run oversubscribes this machine
// (3 ranks on 2 cores); mpirun runs as root only with Open MPI's allow-run-as-root variables,
// which the test's environment sets (tests/CMakeLists.txt).
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

using Clock = std::chrono::steady_clock;

class Mpi : public Cli {
 protected:
  nlohmann::json Results() { return nlohmann::json::parse(ReadAll(dir_ / "r.json")); }
  std::string Json() { return (dir_ / "r.json").string(); }

  // The pid of the rank `rank` of a job whose command line mentions dir_, or -1.
  long FindRank(int rank) {
    std::string wanted = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string cmdline = ReadAll(entry.path() / "cmdline");
      if (cmdline.find(dir_.string()) == std::string::npos) continue;
      std::string environ = ReadAll(entry.path() / "environ");
      std::replace(environ.begin(), environ.end(), '\0', '\n');
      if (("\n" + environ).find("\n" + wanted + "\n") != std::string::npos) {
        return std::stol(name);
      }
    }
    return -1;
  }

  // Waits (at most 60 s, a loaded machine) until the job's rank `rank` is up.
  long AwaitRank(int rank) {
    for (auto give_up = Clock::now() + 60s; Clock::now() < give_up;) {
      if (long pid = FindRank(rank); pid > 0) return pid;
      std::this_thread::sleep_for(50ms);
    }
    return -1;
  }

  // True when no process mentioning dir_ is left, waiting up to 10 s for them to go.
  bool NoneLeft() {
    for (auto give_up = Clock::now() + 10s; Clock::now() < give_up;) {
      if (!AnyProcessMentions(dir_.string())) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
};

TEST_F(Mpi, RanksRunTheTasksOnRankZerosClock) {
  Outcome run = Run({"run", "-w", "sleep", "-e", "mpi", "--ranks", "3", "--tasks", "6", "--delay",
                     "100ms", "-r", "2", "--warmup", "0", "-q", "--json", Json()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json results = Results();
  const nlohmann::json& mpi = results["context"]["mpi"];
  EXPECT_EQ(mpi["size"], 3);
  ASSERT_EQ(mpi["ranks"].size(), 3u);
  EXPECT_NE(mpi["library"].get<std::string>().find("MPI"), std::string::npos)
      << mpi["library"].get<std::string>();
  for (const nlohmann::json& rank : mpi["ranks"]) {
    EXPECT_FALSE(rank["host"].get<std::string>().empty());
    // One host, one clock: the estimate is within its round trip of zero.
    EXPECT_LE(std::abs(rank["clock_offset_us"].get<double>()),
              rank["round_trip_us"].get<double>() / 2 + 1);
  }
  const nlohmann::json& result = results["results"][0];
  EXPECT_TRUE(result["verified"]);
  EXPECT_EQ(result["settings"]["ranks"], 3);
  // A start moved onto rank 0's clock may precede its run's start by the offset's uncertainty.
  double uncertainty = 0;
  for (const nlohmann::json& rank : mpi["ranks"]) {
    uncertainty = std::max(uncertainty, rank["round_trip_us"].get<double>() / 2 * 1e-6);
  }
  std::set<long> workers;
  for (const nlohmann::json& task : result["timeline"]) {
    workers.insert(task[3].get<long>());
    double start = task[1], end = task[2];
    EXPECT_GE(start, -uncertainty);
    EXPECT_GE(end - start, 0.099);  // a 100 ms sleep, timed on its rank
  }
  EXPECT_EQ(workers, (std::set<long>{1, 2}));  // the ranks, not rank 0
  // Two lanes: 6 sleeps of 100 ms take 3 rounds.
  EXPECT_GE(result["median"].get<double>(), 0.3);
}

TEST_F(Mpi, StaticScheduleGivesEachRankABlockAndPrimesAreChecked) {
  Outcome run = Run({"run", "-w",       "primes",  "--count", "8",          "--min",  "1000000",
                     "-e",  "mpi",      "--ranks", "3",       "--schedule", "static", "-r",
                     "1",   "--warmup", "0",       "-q",      "--json",     Json()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json result = Results()["results"][0];
  EXPECT_TRUE(result["verified"]);
  EXPECT_EQ(result["settings"]["schedule"], "static");
  for (const nlohmann::json& task : result["timeline"]) {
    EXPECT_EQ(task[3], task[0].get<int>() < 4 ? 1 : 2) << task;
  }
}

TEST_F(Mpi, RanksRunACommandThatIsNotUtf8ByteForByte) {
  std::string out = (dir_ / "out{i}").string();
  Outcome run = Run({"run",    "-w",     "exec",     "--cmd",   "printf %s \xff{v}",
                     "--var",  "v=\xfe", "--output", out,       "--tasks",
                     "2",      "-e",     "mpi",      "--ranks", "2",
                     "-r",     "1",      "--warmup", "0",       "-q",
                     "--json", Json()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ReadAll(dir_ / "out0"), "\xff\xfe");
  EXPECT_EQ(ReadAll(dir_ / "out1"), "\xff\xfe");
}

// Every pattern on the ranks, verified: each task checks its inputs' outputs, which only reach
// its rank in rank 0's message (the ranks share no memory), and sends its own back; spin's chain
// is checked for the steps each rank calibrated for the grain.
TEST_F(Mpi, RanksRunEveryPatternWithTheDataInTheMessages) {
  Outcome run = Run({"run",
                     "-w",
                     "spin",
                     "--grain",
                     "20us",
                     "--sweep",
                     "pattern=trivial,no_comm,stencil_1d,stencil_1d_periodic,dom,tree,fft,"
                     "all_to_all,nearest,spread,random_nearest",
                     "--steps",
                     "4",
                     "--width",
                     "8",
                     "--output-bytes",
                     "40",
                     "-e",
                     "mpi",
                     "--ranks",
                     "3",
                     "-r",
                     "1",
                     "--warmup",
                     "0",
                     "-q",
                     "--json",
                     Json()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json results = Results()["results"];
  ASSERT_EQ(results.size(), 11u);
  for (const nlohmann::json& result : results) {
    SCOPED_TRACE(result["settings"].dump());
    EXPECT_TRUE(result["verified"].get<bool>()) << result["problems"].dump();
    EXPECT_EQ(result["metrics"]["graph_tasks"], result["settings"]["tasks"]);
    EXPECT_EQ(result["metrics"]["critical_path_tasks"],
              result["settings"]["pattern"] == "trivial" ? 1 : 4);
  }
}

// A stencil of sleeps: every task starts after its inputs ended, tasks run on both ranks (so
// data crossed between them), and the static schedule gives point p to rank 1 + p mod 2.
TEST_F(Mpi, RanksStartAGraphsTaskOnlyAfterItsInputsEnded) {
  for (const char* schedule : {"dynamic", "static"}) {
    SCOPED_TRACE(schedule);
    Outcome run = Run({"run",        "-w",       "sleep", "--delay",    "5ms",    "--pattern",
                       "stencil_1d", "--steps",  "5",     "--width",    "4",      "-e",
                       "mpi",        "--ranks",  "3",     "--schedule", schedule, "-r",
                       "1",          "--warmup", "0",     "-q",         "--json", Json()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    nlohmann::json results = Results();
    const nlohmann::json& result = results["results"][0];
    EXPECT_TRUE(result["verified"].get<bool>()) << result["problems"].dump();
    EXPECT_EQ(result["metrics"]["critical_path_tasks"], 5);
    double uncertainty = 0;
    for (const nlohmann::json& rank : results["context"]["mpi"]["ranks"]) {
      uncertainty = std::max(uncertainty, rank["round_trip_us"].get<double>() * 1e-6);
    }
    const nlohmann::json& timeline = result["timeline"];
    ASSERT_EQ(timeline.size(), 20u);
    std::set<long> workers;
    for (const nlohmann::json& task : timeline) {
      int step = task[5], point = task[6];
      long worker = task[3];
      workers.insert(worker);
      if (std::string(schedule) == "static") {
        EXPECT_EQ(worker, 1 + point % 2) << task;
      }
      if (step == 0) continue;
      for (int input = std::max(point - 1, 0); input <= std::min(point + 1, 3); ++input) {
        const nlohmann::json& before = timeline[static_cast<std::size_t>((step - 1) * 4 + input)];
        EXPECT_GE(task[1].get<double>(), before[2].get<double>() - uncertainty)
            << task << " before " << before;
      }
    }
    EXPECT_EQ(workers, (std::set<long>{1, 2}));
  }
}

// metg measures mpi under an mpirun of the user's, and says so when there is none.
TEST_F(Mpi, MetgRunsUnderMpirunOnAStencilAndOtherwiseSaysHow) {
  Outcome alone = Run({"metg", "-e", "mpi", "-q"});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_NE(alone.err.find("--engine mpi: metg does not start mpirun"), std::string::npos)
      << alone.err;
  binary_ = "/usr/bin/mpirun";
  Outcome run = Run({"-np",
                     "3",
                     "--oversubscribe",
                     CONCBENCH_BINARY,
                     "metg",
                     "-e",
                     "mpi",
                     "--pattern",
                     "stencil_1d",
                     "--width",
                     "2",
                     "--steps",
                     "4",
                     "--min-grain",
                     "100us",
                     "--max-grain",
                     "1ms",
                     "--points-per-decade",
                     "2",
                     "-r",
                     "1",
                     "-q",
                     "--json",
                     Json()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json metg = Results();
  ASSERT_EQ(metg["engines"].size(), 1u) << metg.dump();
  const nlohmann::json& curve = metg["engines"][0];
  EXPECT_EQ(curve["engine"], "mpi");
  ASSERT_FALSE(curve["curve"].empty());
  for (const nlohmann::json& point : curve["curve"]) EXPECT_TRUE(point["verified"]) << point;
}

TEST_F(Mpi, UnderMpirunByHand) {
  binary_ = "/usr/bin/mpirun";
  Outcome run = Run(
      {"-np",     "3",   "--oversubscribe", CONCBENCH_BINARY, "run", "-w", "sleep",    "-e", "mpi",
       "--tasks", "4",   "--delay",         "20ms",           "-r",  "1",  "--warmup", "0",  "-q",
       "--json",  Json()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(Results()["results"][0]["verified"]);
  // --ranks must match what mpirun started.
  Outcome wrong = Run({"-np", "3", "--oversubscribe", CONCBENCH_BINARY, "run", "-w", "sleep", "-e",
                       "mpi", "--ranks", "4", "-q"});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("--ranks: 4, but mpirun started 3 ranks"), std::string::npos)
      << wrong.err;
}

TEST_F(Mpi, BadUseIsRefusedBeforeAnyRankStarts) {
  Outcome no_ranks = Run({"run", "-w", "sleep", "-e", "mpi", "-q"});
  EXPECT_EQ(no_ranks.exit_code, 2);
  EXPECT_NE(no_ranks.err.find("--engine mpi: not started by mpirun"), std::string::npos)
      << no_ranks.err;
  Outcome one = Run({"run", "-w", "sleep", "-e", "mpi", "--ranks", "1", "-q"});
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_NE(one.err.find("--ranks"), std::string::npos) << one.err;
  Outcome shared = Run({"run", "-w", "queue", "-e", "mpi", "--ranks", "3", "-q"});
  EXPECT_EQ(shared.exit_code, 2);
  EXPECT_NE(shared.err.find("queue cannot run on mpi"), std::string::npos) << shared.err;
  Outcome counter = Run({"run", "-w", "counter", "-e", "mpi", "--ranks", "3", "-q"});
  EXPECT_EQ(counter.exit_code, 2);
  EXPECT_NE(counter.err.find("counter cannot run on mpi"), std::string::npos) << counter.err;
  // mpirun refuses its own arguments: it never launched the job, and that is not a dead rank.
  Outcome refused = Run({"run", "-w", "sleep", "-e", "mpi", "--ranks", "2", "--mpirun-args",
                         "--no-such-mpirun-option", "--tasks", "2", "--delay", "1ms", "-r", "1",
                         "--warmup", "0", "-q"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("before it launched the job"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("a rank ended abnormally"), std::string::npos) << refused.err;
  // `all` leaves mpi out: it runs only when named.
  Outcome list = Run({"run", "-w", "sleep", "-e", "all", "--tasks", "2", "--delay", "1ms", "-r",
                      "1", "--warmup", "0", "-q", "--json", Json()});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  nlohmann::json all = Results();
  for (const nlohmann::json& result : all["results"]) EXPECT_NE(result["engine"], "mpi");
}

TEST_F(Mpi, TimeoutEndsTheRunWithinASecondAndNoRankIsLeft) {
  auto start = Clock::now();
  Outcome run = Run({"run",     "-w",       "sleep",   "-e",  "mpi",       "--ranks", "3",
                     "--tasks", "6",        "--delay", "20s", "--timeout", "300ms",   "-r",
                     "1",       "--warmup", "0",       "-q",  "--json",    Json()});
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_LT(seconds, 15) << "20 s sleeps were not stopped";
  EXPECT_EQ(run.exit_code, 1) << run.err;  // nothing completed before the deadline
  nlohmann::json result = Results()["results"][0];
  EXPECT_EQ(result["tasks"]["cancelled"], 2);
  EXPECT_LT(result["median"].get<double>(), 1.3);  // the deadline, plus the stop's grace
  EXPECT_TRUE(NoneLeft());
}

TEST_F(Mpi, SigintStopsTheRanksAndKeepsNoProcess) {
  pid_t pid = Start({"run", "-w", "sleep", "-e", "mpi", "--ranks", "3", "--tasks", "8", "--delay",
                     "20s", "-r", "1", "--warmup", "0", "--json", Json()});
  ASSERT_GT(AwaitRank(2), 0);
  std::this_thread::sleep_for(1s);  // the run under way
  auto start = Clock::now();
  ::kill(pid, SIGINT);
  Outcome run = Wait(pid);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 15);
  EXPECT_EQ(run.exit_code, 130) << run.err;
  EXPECT_TRUE(NoneLeft());
}

TEST_F(Mpi, AKilledRankEndsTheRunNamingIt) {
  pid_t pid = Start({"run", "-w", "sleep", "-e", "mpi", "--ranks", "3", "--tasks", "40", "--delay",
                     "1s", "-r", "1", "--warmup", "0", "--json", Json()});
  long rank = AwaitRank(1);
  ASSERT_GT(rank, 0);
  // Long enough for rank 0 to have joined the world and launched the job on a loaded machine
  // (MPI's start and the ranks' handshake can take over a second there); the run takes 20 s.
  std::this_thread::sleep_for(3s);
  auto start = Clock::now();
  ::kill(static_cast<pid_t>(rank), SIGKILL);
  Outcome run = Wait(pid);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 15);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("rank 1"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("a rank ended abnormally"), std::string::npos) << run.err;
  EXPECT_TRUE(NoneLeft());
}

}  // namespace
}  // namespace concbench::testing
