// `run --shard K/N` and `merge`, through the real binary: a suite measured in shards and put
// together holds what the whole run holds, and files that do not belong together are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace {

using namespace concbench::testing;
using nlohmann::json;

// Three runs of short sleeps (the last one claiming its median), four points in all.
constexpr const char* kTinySuite = R"({
  "repetitions": 2, "warmup": 0,
  "runs": [
    {"name": "a", "workload": "sleep", "engines": ["sequential", "thread"],
     "parameters": {"tasks": 2, "delay": "20ms"}},
    {"name": "b", "workload": "sleep", "engines": ["asio"], "parameters": {"tasks": 2, "delay": "5ms"}},
    {"name": "c", "workload": "sleep", "engines": ["thread"], "parameters": {"tasks": 2, "delay": "1ms"},
     "expect": [{"metric": "tasks.completed", "value": 4}]}
  ]
})";

class CliShard : public Cli {
 protected:
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  json Read(const std::string& name) { return json::parse(ReadAll(dir_ / name)); }
  // The tiny suite's shard K/N, written to FILE.
  Outcome Shard(const std::string& shard, const std::string& file) {
    return Run({"run", "-q", "--suite", Path("tiny.json"), "--shard", shard, "--json", Path(file)});
  }
  void SetUp() override {
    Cli::SetUp();
    Write("tiny.json", kTinySuite);
  }
  static std::multiset<std::string> Commands(const json& document) {
    std::multiset<std::string> commands;
    for (const json& result : document["results"]) commands.insert(result["command"]);
    return commands;
  }
};

TEST_F(CliShard, SeedsInThreeShardsMergeIntoTheWholeRun) {
  std::string seeds = std::string(CONCBENCH_SOURCE_DIR) + "/suites/seeds.json";
  std::vector<std::string> files;
  std::set<std::string> points;
  // A claim on speed (primes' speedup) may fail on a loaded machine: exit 1, results written.
  int worst = 0;
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    files.push_back(Path(std::string("shard") + shard[0] + ".json"));
    Outcome o = Run({"run", "-q", "--suite", seeds, "--time-scale", "0.01", "--shard", shard,
                     "--json", files.back()});
    ASSERT_TRUE(o.exit_code == 0 || o.exit_code == 1) << shard << o.err;
    worst = std::max(worst, o.exit_code);
    EXPECT_NE(o.err.find(std::string("shard ") + shard + ":"), std::string::npos) << o.err;
    json block = json::parse(ReadAll(files.back()))["shard"];
    EXPECT_EQ(block["count"], 3);
    for (const json& id : block["points"]) EXPECT_TRUE(points.insert(id).second) << id;
  }
  Outcome o =
      Run({"run", "-q", "--suite", seeds, "--time-scale", "0.01", "--json", Path("whole.json")});
  ASSERT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.err;
  json whole = Read("whole.json");
  EXPECT_EQ(points.size(), whole["results"].size());  // every point in exactly one shard
  std::vector<std::string> merge = {"merge",        files[0],          files[1],
                                    files[2],       "--json",          Path("merged.json"),
                                    "--export-csv", Path("merged.csv")};
  o = Run(merge);
  ASSERT_EQ(o.exit_code, worst) << o.err;  // the same claims, checked again over the same results
  EXPECT_NE(o.err.find("claims checked again"), std::string::npos) << o.err;
  json merged = Read("merged.json");
  EXPECT_EQ(Commands(merged), Commands(whole));
  EXPECT_FALSE(merged.contains("shard"));
  EXPECT_EQ(merged["merged"]["files"].size(), 3u);
  EXPECT_EQ(merged["expectations"].size(), whole["expectations"].size());
  for (const json& result : merged["results"]) {
    EXPECT_TRUE(result["context"].contains("host")) << result["command"];
  }
  EXPECT_NE(ReadAll(dir_ / "merged.csv").find("delays-2s-3s"), std::string::npos);
  // Three repetitions a side can never reach p < 0.05: no pair can regress, on any machine. A
  // claim that failed on a busy machine makes its pairs not comparable (exit 1), never better.
  o = Run({"compare", Path("merged.json"), Path("whole.json"), "--threshold", "50", "--format",
           "json"});
  json comparison = json::parse(o.out);
  ASSERT_EQ(o.exit_code, comparison["not_comparable"] == 0 ? 0 : 1) << o.out << o.err;
  for (const json& pair : comparison["pairs"]) {
    if (pair["status"] != "not comparable") continue;
    EXPECT_NE(pair["why_not_comparable"].get<std::string>().find("run is not verified"),
              std::string::npos)
        << pair;
  }
  EXPECT_EQ(comparison["pairs"].size(), whole["results"].size());
  EXPECT_TRUE(comparison["only_in_base"].empty() && comparison["only_in_new"].empty());
  EXPECT_EQ(comparison["regressed"], false);
}

TEST_F(CliShard, AShardChecksTheClaimsOfItsOwnPoints) {
  // The 20 ms run (two points) is the longest item and fills shard 1; shard 2 has the rest.
  ASSERT_EQ(Shard("1/2", "one.json").exit_code, 0);
  ASSERT_EQ(Shard("2/2", "two.json").exit_code, 0);
  json one = Read("one.json"), two = Read("two.json");
  EXPECT_EQ(one["shard"]["points"], json({"a: sleep on sequential", "a: sleep on thread"}));
  EXPECT_EQ(one["shard"]["total_points"], 4);
  EXPECT_TRUE(one["expectations"].empty());
  EXPECT_EQ(two["expectations"].size(), 1u);
  EXPECT_EQ(one["shard"]["plan_hash"], two["shard"]["plan_hash"]);
  Outcome o = Run({"merge", Path("two.json"), Path("one.json"), "--json", Path("all.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json all = Read("all.json");
  ASSERT_EQ(all["results"].size(), 4u);
  EXPECT_EQ(all["results"][0]["run"], "a");  // plan order, whatever the files' order
  EXPECT_EQ(all["results"][3]["run"], "c");
}

TEST_F(CliShard, AnEmptyShardWritesAFileWithNoResults) {
  Outcome o = Shard("5/5", "empty.json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("has no points"), std::string::npos) << o.err;
  EXPECT_TRUE(Read("empty.json")["results"].empty());
  EXPECT_EQ(Read("empty.json")["shard"]["index"], 5);
}

TEST_F(CliShard, ShardsTheCommandLinesPointsToo) {
  std::multiset<std::string> all;
  for (const char* shard : {"1/2", "2/2"}) {
    Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "sequential,thread", "--delay", "1ms",
                     "--sweep", "tasks=1,2,3", "-r", "1", "--warmup", "0", "--shard", shard,
                     "--json", Path("s.json")});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    for (const std::string& command : Commands(Read("s.json"))) all.insert(command);
  }
  EXPECT_EQ(all.size(), 6u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 6u);
}

TEST_F(CliShard, BadShardValuesAreRefused) {
  for (const char* bad : {"0/3", "4/3", "1/0", "a/b", "3", "1.5/3", "-1/3", ""}) {
    Outcome o = Run({"run", "-w", "sleep", "--shard", bad});
    EXPECT_EQ(o.exit_code, 2) << bad;
    EXPECT_NE(o.err.find("--shard"), std::string::npos) << bad << ": " << o.err;
  }
}

TEST_F(CliShard, MergeRefusesFilesThatDoNotBelongTogether) {
  ASSERT_EQ(Shard("1/3", "one.json").exit_code, 0);
  ASSERT_EQ(Shard("3/3", "three.json").exit_code, 0);
  // Overlap: the same shard twice.
  Outcome o = Run({"merge", Path("one.json"), Path("one.json"), "--json", Path("m.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("are both shard 1/3"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.json"));
  o = Run(
      {"merge", Path("one.json"), Path("one.json"), "--allow-overlap", "--json", Path("m.json")});
  EXPECT_EQ(o.exit_code, 1) << o.err;  // merged, but run c's claim (shard 3) has no result
  EXPECT_EQ(Read("m.json")["results"].size(), 2u);
  // A missing shard is a warning.
  o = Run({"merge", Path("one.json"), Path("three.json"), "--json", Path("m.json")});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("shard 2/3 is missing"), std::string::npos) << o.err;
  // Another suite.
  std::string other = kTinySuite;
  other.replace(other.find("20ms"), 4, "21ms");
  Write("tiny.json", other);
  ASSERT_EQ(Shard("2/3", "other.json").exit_code, 0);
  o = Run({"merge", Path("one.json"), Path("other.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("shards of different suites or plans"), std::string::npos) << o.err;
  ASSERT_EQ(Shard("2/2", "halves.json").exit_code, 0);
  Write("tiny.json", kTinySuite);
  ASSERT_EQ(Shard("2/2", "half.json").exit_code, 0);
  o = Run({"merge", Path("one.json"), Path("half.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("different numbers of shards (3 and 2)"), std::string::npos) << o.err;
  // Another build.
  json changed = Read("three.json");
  changed["context"]["compiler"] = "clang 99.0.0";
  Write("build.json", changed.dump());
  o = Run({"merge", Path("one.json"), Path("build.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("different builds"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("clang 99.0.0"), std::string::npos) << o.err;
  o = Run({"merge", Path("one.json"), Path("build.json"), "--allow-different-builds"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
}

TEST_F(CliShard, MergeRefusesBadFiles) {
  ASSERT_EQ(Shard("1/3", "one.json").exit_code, 0);
  Write("bad.json", "{\"schema\": \"concbench/1\", \"results\": [");
  Outcome o = Run({"merge", Path("one.json"), Path("bad.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("bad.json"), std::string::npos) << o.err;
  Write("other.json", "{\"results\": []}");
  o = Run({"merge", Path("other.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("other.json: not a concbench results file"), std::string::npos) << o.err;
  json broken = Read("one.json");
  broken["shard"]["index"] = 7;
  Write("broken.json", broken.dump());
  o = Run({"merge", Path("broken.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("broken.json: shard: index 7 is not from 1 to 3"), std::string::npos)
      << o.err;
  o = Run({"merge", Path("missing.json")});
  EXPECT_EQ(o.exit_code, 2);
  o = Run({"merge", Path("one.json"), "--json", Path("no/such/folder/m.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--json"), std::string::npos) << o.err;
}

TEST_F(CliShard, MergeChecksEveryFieldItMergesBy) {
  ASSERT_EQ(Shard("1/3", "one.json").exit_code, 0);
  const json one = Read("one.json");
  ASSERT_GE(one["shard"]["points"].size(), 1u);
  struct Case {
    const char* expected;
    std::function<void(json&)> change;
  };
  std::vector<Case> cases = {
      {"shard: total_points 0 is fewer than its", [](json& j) { j["shard"]["total_points"] = 0; }},
      {"shard: plan_indices: 99 is not below total_points",
       [](json& j) { j["shard"]["plan_indices"][0] = 99; }},
      {"is there twice",
       [](json& j) {
         j["shard"]["points"].push_back(j["shard"]["points"][0]);
         j["shard"]["plan_indices"].push_back(j["shard"]["plan_indices"][0]);
       }},
      {"more than its 0 points",
       [](json& j) { j["shard"]["points"] = j["shard"]["plan_indices"] = json::array(); }},
      {"context: missing", [](json& j) { j.erase("context"); }},
  };
  for (const Case& c : cases) {
    json changed = one;
    c.change(changed);
    Write("changed.json", changed.dump());
    Outcome o = Run({"merge", Path("changed.json"), "--json", Path("m.json")});
    EXPECT_EQ(o.exit_code, 2) << c.expected;
    EXPECT_NE(o.err.find("changed.json: "), std::string::npos) << o.err;
    EXPECT_NE(o.err.find(c.expected), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(dir_ / "m.json"));
  }
  // Two files as the same shard, or two shards claiming one point of the plan.
  Write("again.json", one.dump());
  Outcome o = Run({"merge", Path("one.json"), Path("again.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("again.json are both shard 1/3"), std::string::npos) << o.err;
  json other = one;
  other["shard"]["index"] = 2;
  Write("two.json", other.dump());
  o = Run({"merge", Path("one.json"), Path("two.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("both claim point"), std::string::npos) << o.err;
}

}  // namespace
