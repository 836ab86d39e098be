// concbench::Main in a program that registers workloads of its own (registering_program.cpp):
// they join every command, and a registration that cannot be honoured ends it with status 2.
#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

class Registering : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    binary_ = CONCBENCH_REGISTERING_PROGRAM;
  }
};

TEST_F(Registering, ARegisteredWorkloadIsListedAndRunsVerifiedOnEveryEngine) {
  Outcome list = Run({"ok", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("\n  tick +each task waits --tick\n")))
      << list.out;
  EXPECT_NE(list.out.find("--tick "), std::string::npos) << list.out;
  Outcome help = Run({"ok", "run", "--help"});
  EXPECT_NE(help.out.find("--tick DURATION"), std::string::npos) << help.out;

  Outcome run = Run({"ok", "run", "-w", "tick", "-e", "all", "--tasks", "3", "-r", "1", "--warmup",
                     "0", "--json", "-", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["results"].size(), 5u);  // every engine
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["workload"], "tick");
    EXPECT_EQ(r["verified"], true) << r.dump();
    EXPECT_EQ(r["tasks"]["completed"], 3);
    EXPECT_EQ(r["settings"]["tick"], "2ms");
  }
  Outcome failing = Run({"ok", "run", "-w", "tick", "-e", "sequential", "--fail-rate", "1", "-r",
                         "1", "--warmup", "0", "-q"});
  EXPECT_EQ(failing.exit_code, 1);
  EXPECT_NE(failing.out.find("failure injected by --fail-rate 1 --seed 1"), std::string::npos)
      << failing.out;
}

TEST_F(Registering, ATakenNameEndsEveryCommandWithStatusTwo) {
  Outcome o = Run({"taken", "list"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err,
            "concbench: cannot register workload 'sleep': the name is taken (see "
            "concbench list)\n");
  EXPECT_EQ(o.out, "");
}

TEST_F(Registering, AParameterClashingWithAnEngineOrAnOptionIsStatusTwo) {
  Outcome engine = Run({"engine-clash", "run", "-w", "crawl"});
  EXPECT_EQ(engine.exit_code, 2);
  EXPECT_NE(engine.err.find("concbench: --workers: the parameter of the pool engine has another "
                            "type (or other choices) than that of the crawl workload"),
            std::string::npos)
      << engine.err;
  Outcome option = Run({"option-clash", "list"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_EQ(option.err,
            "concbench: --json: a parameter of crawl has the name of an option of run; rename the "
            "parameter\n");
}

TEST_F(Registering, AWorkloadNamedOtherwiseThanRegisteredIsRefusedWhenMade) {
  Outcome o = Run({"misnamed", "run", "-w", "tock", "-e", "sequential", "-r", "1", "-q"});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("the factory of workload 'tock' made 'tick'; its name() must return 'tock'"),
            std::string::npos)
      << o.err;
}

}  // namespace
}  // namespace concbench::testing
