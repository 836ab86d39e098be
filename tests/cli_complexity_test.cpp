// `run --complexity`: a real sweep whose time grows linearly is fitted as O(N), in the table,
// the results file and the gbench export; the options' bad uses exit 2 before anything runs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

using nlohmann::json;

class CliComplexity : public Cli {
 protected:
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  json Read(const std::string& name) { return json::parse(ReadAll(dir_ / name)); }
  // sleep on sequential, each task 4 ms, swept over `tasks`: wall ≈ 4 ms × tasks.
  std::vector<std::string> Sweep(const std::string& tasks) {
    return {"run", "-w",      "sleep",          "-e", "sequential", "--delay",
            "4ms", "--sweep", "tasks=" + tasks, "-r", "2",          "--warmup",
            "0",   "-q"};
  }
  static std::vector<std::string> With(std::vector<std::string> args,
                                       const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};

TEST_F(CliComplexity, ALinearSweepIsFittedAsLinearWithThePerTaskTime) {
  Outcome o =
      Run(With(Sweep("2,4,8,16"), {"--json", Path("r.json"), "--export-gbench", Path("g.json")}));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("sleep on sequential over tasks: "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("·N (O(N)), RMS "), std::string::npos) << o.out;

  json document = Read("r.json");
  ASSERT_TRUE(document.contains("complexity")) << document.dump();
  ASSERT_EQ(document["complexity"].size(), 1u);
  const json& fit = document["complexity"][0];
  EXPECT_EQ(fit["workload"], "sleep");
  EXPECT_EQ(fit["engine"], "sequential");
  EXPECT_EQ(fit["parameter"], "tasks");
  EXPECT_EQ(fit["order"], "N") << fit.dump();
  EXPECT_EQ(fit["n_points"], 4);
  EXPECT_EQ(fit["fits"].size(), 6u);
  // A sleep is never shorter than asked; a loaded machine may add a little to each.
  double per_task = fit["coefficient_s"].get<double>();
  EXPECT_GE(per_task, 0.0039);
  EXPECT_LE(per_task, 0.008);

  json benchmarks = Read("g.json")["benchmarks"];
  std::vector<std::string> names;
  for (const json& entry : benchmarks) {
    if (entry.value("aggregate_name", "") == "BigO") {
      EXPECT_EQ(entry["big_o"], "N");
      EXPECT_NEAR(entry["real_coefficient"].get<double>(), per_task * 1e9, 1);
    }
    if (entry.value("aggregate_name", "") == "RMS") {
      EXPECT_NEAR(entry["rms"].get<double>(), fit["rms"].get<double>(), 1e-12);
    }
    names.push_back(entry["name"]);
  }
  ASSERT_GE(names.size(), 2u);
  EXPECT_EQ(names[names.size() - 2], "sleep/sequential/delay:4ms_BigO");
  EXPECT_EQ(names.back(), "sleep/sequential/delay:4ms_RMS");
}

TEST_F(CliComplexity, AnOrderCanBeForcedOrNone) {
  Outcome o = Run(With(Sweep("1,2,3"), {"--complexity", "N3", "--json", Path("forced.json")}));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(Read("forced.json")["complexity"][0]["order"], "N3");
  EXPECT_NE(o.out.find("(O(N³))"), std::string::npos) << o.out;

  o = Run(With(Sweep("1,2,3"), {"--complexity", "none", "--json", Path("none.json")}));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_FALSE(Read("none.json").contains("complexity"));
  EXPECT_EQ(o.out.find("complexity"), std::string::npos) << o.out;
}

// Each shard holds part of the sweep; merged, the whole sweep (4 sizes) is fitted again.
TEST_F(CliComplexity, MergeFitsTheShardsTogether) {
  std::vector<std::string> files;
  for (std::string shard : {"1/2", "2/2"}) {
    files.push_back(Path("shard" + shard.substr(0, 1) + ".json"));
    Outcome o = Run(With(Sweep("1,2,4,8"), {"--shard", shard, "--json", files.back()}));
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }
  Outcome o = Run({"merge", files[0], files[1], "--json", Path("merged.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json merged = Read("merged.json");
  ASSERT_TRUE(merged.contains("complexity")) << merged.dump();
  EXPECT_EQ(merged["complexity"][0]["order"], "N");
  EXPECT_EQ(merged["complexity"][0]["n_points"], 4);
  o = Run({"merge", files[0], files[1], "--complexity-of", "delay"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("concbench merge: --complexity-of: delay is not swept"), std::string::npos)
      << o.err;
}

// Two sweeps fit only when told which; nothing is measured before the refusal.
TEST_F(CliComplexity, AnAmbiguousOrMissingParameterExits2) {
  std::vector<std::string> grid = Sweep("1,2,3");
  grid[4] = "pool";
  Outcome o = Run(With(grid, {"--sweep", "workers=1,2", "--complexity", "N"}));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--complexity N: several parameters are swept over numbers (tasks, "
                       "workers); name one with --complexity-of NAME"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.out.find("sleep"), std::string::npos) << o.out;

  o = Run({"run", "-w", "sleep", "-e", "sequential", "--tasks", "2", "--complexity-of", "tasks"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--complexity-of: tasks is not swept over several numbers"),
            std::string::npos)
      << o.err;

  o = Run({"run", "-w", "sleep", "--complexity", "N^2"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--complexity"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace concbench::testing
