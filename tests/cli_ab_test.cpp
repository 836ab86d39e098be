// The CI gate through the real binary: honest verdicts of `compare` (a failed run is never an
// improvement, nothing paired is an error), `ab`'s interleaved rounds and confirmation, and
// export names that pair across a change of parameters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace {

using namespace concbench::testing;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class CliAb : public Cli {
 protected:
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  Outcome Sleeps(const std::string& file, std::vector<std::string> extra) {
    std::vector<std::string> args = {"run",       "-q", "-w",     "sleep",    "-e",
                                     "pool,asio", "-r", "8",      "--warmup", "0",
                                     "--tasks",   "8",  "--json", Path(file)};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }
};

TEST_F(CliAb, CompareCallsAFailedRunNotComparableAndFails) {
  ASSERT_EQ(Sleeps("base.json", {"--delay", "20ms", "--name", "gate"}).exit_code, 0);
  // Half the tasks fail at once: the run is quicker, and no improvement.
  Outcome failed =
      Sleeps("failed.json", {"--delay", "20ms", "--name", "gate", "--fail-rate", "0.5"});
  ASSERT_EQ(failed.exit_code, 1) << failed.err;
  Outcome o = Run({"compare", Path("base.json"), Path("failed.json")});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_THAT(o.out, HasSubstr("not comparable: gate: sleep on pool"));
  EXPECT_THAT(o.out, HasSubstr(": the new run is not verified: "));
  EXPECT_THAT(o.out, HasSubstr("0 improved"));
  o = Run({"compare", Path("base.json"), Path("failed.json"), "--format", "json"});
  json report = json::parse(o.out);
  EXPECT_EQ(report["failed"], true);
  for (const json& pair : report["pairs"]) EXPECT_EQ(pair["status"], "not comparable") << pair;
}

TEST_F(CliAb, CompareWithNothingPairedIsExitTwoListingBothSides) {
  ASSERT_EQ(Sleeps("a.json", {"--delay", "1ms", "--name", "one"}).exit_code, 0);
  ASSERT_EQ(Sleeps("b.json", {"--delay", "1ms", "--name", "two"}).exit_code, 0);
  Outcome o = Run({"compare", Path("a.json"), Path("b.json")});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_THAT(o.err, HasSubstr("pairs with one of " + Path("a.json") + ": nothing was compared"));
  EXPECT_THAT(o.err, HasSubstr(Path("a.json") + " has:\n  one: sleep on pool"));
  EXPECT_THAT(o.err, HasSubstr(Path("b.json") + " has:\n  two: sleep on pool"));
}

TEST_F(CliAb, CompareListsTheUnpairedInJson) {
  ASSERT_EQ(Sleeps("a.json", {"--delay", "1ms", "--name", "one"}).exit_code, 0);
  ASSERT_EQ(Run({"run", "-q", "-w", "sleep", "-e", "pool", "-r", "8", "--warmup", "0", "--tasks",
                 "8", "--delay", "1ms", "--name", "one", "--json", Path("b.json")})
                .exit_code,
            0);
  // The threshold keeps the paired point's noise (1 ms sleeps on a busy machine) from regressing:
  // this test is about what is unpaired.
  Outcome o =
      Run({"compare", Path("a.json"), Path("b.json"), "--format", "json", "--threshold", "1000"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  json report = json::parse(o.out);
  std::multiset<std::string> statuses;
  for (const json& pair : report["pairs"]) statuses.insert(pair["status"].get<std::string>());
  EXPECT_EQ(statuses.count("unpaired"), 1u) << report.dump(1);
  ASSERT_EQ(report["only_in_base"].size(), 1u);
  EXPECT_THAT(report["only_in_base"][0].get<std::string>(), HasSubstr("one: sleep on asio ("));
}

TEST_F(CliAb, AbCatchesALongerWaitAndConfirmsIt) {
  Outcome o = Run({"ab",
                   "--rounds",
                   "6",
                   "--confirm",
                   "6",
                   "--a-args",
                   "--delay 20ms",
                   "--b-args",
                   "--delay 60ms",
                   "--format",
                   "json",
                   "--",
                   "run",
                   "-w",
                   "sleep",
                   "-e",
                   "asio",
                   "--tasks",
                   "2",
                   "--warmup",
                   "0",
                   "--name",
                   "io"});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  json report = json::parse(o.out);
  ASSERT_EQ(report["pairs"].size(), 1u) << o.out;
  const json& pair = report["pairs"][0];
  EXPECT_EQ(pair["status"], "regressed") << pair;
  EXPECT_EQ(pair["paired"], true);
  EXPECT_EQ(pair["metric"], "wall");  // a wait is gated on wall time
  EXPECT_EQ(pair["first_round"]["verdict"], "regressed");
  EXPECT_EQ(pair["first_round"]["rounds"], 6);
  EXPECT_EQ(pair["base_count"], 6);  // the confirmation's rounds
  EXPECT_GT(pair["change"].get<double>(), 1.0);
}

TEST_F(CliAb, AbOfOneBuildAgainstItselfPasses) {
  Outcome o = Run({"ab", "--rounds", "6", "--", "run", "-w", "sleep", "-e", "pool,asio", "--tasks",
                   "4", "--delay", "10ms", "--warmup", "0"});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_THAT(o.out, HasSubstr("2 pairs: 0 regressed"));
  EXPECT_THAT(o.out, HasSubstr("p (signed-rank)"));
}

TEST_F(CliAb, AbNeverComparesAFailedSide) {
  Outcome o = Run({"ab", "--rounds", "2", "--b-args", "--fail-rate 1", "--", "run", "-w", "sleep",
                   "-e", "pool", "--tasks", "2", "--delay", "1ms", "--warmup", "0"});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_THAT(o.out, HasSubstr("not comparable: sleep on pool"));
  EXPECT_THAT(o.out, HasSubstr("round 1: the new run is not verified: no task completed"));
  // A B build that crashes fails the gate, naming the side and the signal.
  std::string crash = Path("crash.sh");
  {
    std::ofstream script(crash);
    script << "#!/bin/sh\necho 'segmentation fault ahead'\nkill -SEGV $$\n";
  }
  fs::permissions(crash, fs::perms::owner_all);
  o = Run({"ab", "--rounds", "2", "--b", crash, "--", "run", "-w", "sleep", "-e", "pool", "--tasks",
           "2", "--delay", "1ms", "--warmup", "0"});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_THAT(o.err, HasSubstr("side B (" + crash + "), round 1: killed by SIGSEGV"));
  EXPECT_THAT(o.err, HasSubstr("segmentation fault ahead"));
}

TEST_F(CliAb, AbRefusesWhatItCannotRun) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"ab", "--", "list"}, "give the run to measure after --, starting with 'run'"},
      {{"ab", "--", "run", "-w", "sleep", "-r", "3"}, "-r: ab sets it for each round"},
      {{"ab", "--", "run", "-w", "sleep", "--json=x.json"}, "--json: ab sets it"},
      {{"ab", "--", "run", "--export-csv", "x.csv"}, "--export-csv: each round would overwrite"},
      {{"ab", "--a-args", "'--delay", "--", "run"}, "--a-args: "},
      {{"ab", "--b", "/no/such/program", "--", "run"}, "--b"},
      {{"ab", "--rounds", "1", "--", "run", "-w", "no-such-workload"}, "side A"},
  };
  for (const Case& c : cases) {
    Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << c.args.back() << o.err;
    EXPECT_THAT(o.err, HasSubstr(c.message)) << o.err;
    EXPECT_THAT(o.err, Not(HasSubstr("terminate called")));
  }
}

TEST_F(CliAb, ANamedRunsExportsPairAcrossAChangeOfParameters) {
  for (const char* delay : {"20ms", "30ms"}) {
    std::string file = Path(std::string("gbench-") + delay + ".json");
    ASSERT_EQ(Sleeps(std::string(delay) + ".json",
                     {"--delay", delay, "--name", "io", "--export-gbench", file})
                  .exit_code,
              0);
  }
  json a = json::parse(ReadAll(dir_ / "gbench-20ms.json"));
  json b = json::parse(ReadAll(dir_ / "gbench-30ms.json"));
  ASSERT_EQ(a["benchmarks"].size(), b["benchmarks"].size());
  EXPECT_EQ(a["benchmarks"][0]["name"], "io/sleep/pool");
  for (std::size_t i = 0; i < a["benchmarks"].size(); ++i) {
    EXPECT_EQ(a["benchmarks"][i]["name"], b["benchmarks"][i]["name"]);
  }
}

}  // namespace
