// The statistics and CI-gating side of the CLI: repetition control, sweeps, suites, exports,
// baselines and `compare`, through the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace {

using namespace concbench::testing;
using nlohmann::json;

class CliGate : public Cli {
 protected:
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // A quick measured run of sleeps, written to `file`.
  Outcome Sleeps(const std::string& file, const std::string& delay,
                 std::vector<std::string> extra = {}, const std::string& engines = "pool,asio",
                 const std::string& repetitions = "8") {
    std::vector<std::string> args = {
        "run",     "-q",  "-w",       "sleep", "-e", engines,     "--tasks", "4",
        "--delay", delay, "--warmup", "0",     "-r", repetitions, "--json",  Path(file)};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
};

TEST_F(CliGate, MinTimeAndMaxRunsDecideTheRepetitions) {
  Outcome o =
      Run({"run", "-q", "-w", "sleep", "-e", "sequential", "--tasks", "1", "--delay", "10ms",
           "--warmup", "0", "--min-time", "1s", "--max-runs", "6", "--json", Path("r.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(json::parse(ReadAll(dir_ / "r.json"))["results"][0]["times"].size(), 6u);
  o = Run({"run", "-q", "-w", "sleep", "-e", "sequential", "--tasks", "1", "--delay", "1ms",
           "--warmup", "0", "--min-runs", "3", "--min-time", "1ms", "--json", Path("r.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(json::parse(ReadAll(dir_ / "r.json"))["results"][0]["times"].size(), 3u);
  o = Run({"run", "-r", "2", "--min-runs", "3"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--min-runs"), std::string::npos) << o.err;
  o = Run({"run", "--min-runs", "5", "--max-runs", "2"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--max-runs: 2 is below --min-runs 5"), std::string::npos) << o.err;
}

TEST_F(CliGate, EveryResultCarriesItsStatistics) {
  ASSERT_EQ(Sleeps("a.json", "2ms").exit_code, 0);
  json r = json::parse(ReadAll(dir_ / "a.json"))["results"][0];
  for (const char* key : {"mad", "p5", "p25", "p75", "p95", "cv", "outliers", "user_times",
                          "system_times", "peak_rss_samples", "warnings", "sweep"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  // The summary is the sample's own: eight times, so the median is the mean of the middle two.
  std::vector<double> times = r["times"];
  ASSERT_EQ(times.size(), 8u);
  std::sort(times.begin(), times.end());
  EXPECT_DOUBLE_EQ(r["median"].get<double>(), (times[3] + times[4]) / 2);
  EXPECT_DOUBLE_EQ(r["min"].get<double>(), times[0]);
  EXPECT_DOUBLE_EQ(r["max"].get<double>(), times[7]);
  // A bootstrap interval of the median lies within the sample and is not a point.
  EXPECT_GE(r["median_ci"][0].get<double>(), times[0]);
  EXPECT_LE(r["median_ci"][1].get<double>(), times[7]);
  EXPECT_LT(r["median_ci"][0].get<double>(), r["median_ci"][1].get<double>());
  EXPECT_EQ(r["user_times"].size(), 8u);
  // No sequential: the reference is the fastest, whichever it was on this machine now.
  json results = json::parse(ReadAll(dir_ / "a.json"))["results"];
  ASSERT_EQ(results.size(), 2u);
  std::size_t fastest = results[0]["median"] <= results[1]["median"] ? 0 : 1;
  EXPECT_EQ(results[1]["relative"]["reference"], results[fastest]["engine"]);
}

TEST_F(CliGate, SweepRunsEveryPointAndNamesIt) {
  Outcome o = Run({"run", "-q", "-w", "sleep", "-e", "asio", "--delay", "1ms", "-r", "1",
                   "--warmup", "0", "--sweep", "tasks=1..100:x10", "--json", Path("s.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json results = json::parse(ReadAll(dir_ / "s.json"))["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[2]["settings"]["tasks"], 100);
  EXPECT_EQ(results[2]["parameters"], json({{"tasks", "100"}}));  // hyperfine's: the swept
  EXPECT_EQ(results[2]["sweep"]["tasks"], "100");
  EXPECT_NE(o.out.find("tasks=100"), std::string::npos) << o.out;
  o = Run({"run", "-w", "sleep", "--sweep", "tasks=10..1:x10"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--sweep: '10..1:x10': the range must go upwards"), std::string::npos)
      << o.err;
  o = Run({"run", "-w", "primes", "--sweep", "delay=1ms,2ms"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--sweep delay: does not apply"), std::string::npos) << o.err;
  o = Run({"run", "-w", "sleep", "--tasks", "5", "--sweep", "tasks=1,2"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--sweep tasks: it has a value too (--tasks or a suite run's "
                       "\"parameters\"): give it one value or sweep it, not both"),
            std::string::npos)
      << o.err;
}

// Two samples of the same build: one run's repetitions split in two, alternately, so that a
// change in the machine's load while the test runs hits both halves alike (the reason run
// interleaves). No pair may regress.
TEST_F(CliGate, SameBuildTwiceIsNoRegression) {
  ASSERT_EQ(Sleeps("all.json", "5ms", {}, "sequential,pool,asio", "16").exit_code, 0);
  json all = json::parse(ReadAll(dir_ / "all.json"));
  for (int half = 0; half < 2; ++half) {
    json part = all;
    for (json& result : part["results"]) {
      for (const char* key : {"times", "user_times", "system_times", "peak_rss_samples"}) {
        json kept = json::array();
        for (std::size_t i = static_cast<std::size_t>(half); i < result[key].size(); i += 2) {
          kept.push_back(result[key][i]);
        }
        result[key] = kept;
      }
    }
    Write(half == 0 ? "a.json" : "b.json", part.dump());
  }
  Outcome o = Run({"compare", Path("a.json"), Path("b.json"), "--format", "json"});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  json report = json::parse(o.out);
  ASSERT_EQ(report["pairs"].size(), 3u);
  for (const json& pair : report["pairs"]) {
    EXPECT_TRUE(pair["verdict"] == "no change" || pair["verdict"] == "within noise") << pair;
  }
}

TEST_F(CliGate, ASlowdownUnderTheSameNameRegressesWithExitOne) {
  // Tripled, so that the slowdown stands out of a sanitizer build's tens of ms of noise per run.
  ASSERT_EQ(Sleeps("a.json", "20ms", {"--name", "io"}).exit_code, 0);
  ASSERT_EQ(Sleeps("b.json", "60ms", {"--name", "io"}).exit_code, 0);
  Outcome o = Run({"compare", Path("a.json"), Path("b.json")});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_NE(o.out.find("2 regressed"), std::string::npos) << o.out;
  // Every pair's verdict, read from the JSON rather than searched for in the text.
  auto verdicts = [&](const std::string& base, const std::string& changed) {
    Outcome json_out = Run({"compare", Path(base), Path(changed), "--format", "json"});
    json report = json::parse(json_out.out);
    std::vector<std::string> found;
    for (const json& pair : report["pairs"]) found.push_back(pair["verdict"]);
    return found;
  };
  EXPECT_EQ(verdicts("a.json", "b.json"), (std::vector<std::string>{"regressed", "regressed"}));
  o = Run({"compare", Path("b.json"), Path("a.json"), "--format", "markdown"});
  EXPECT_EQ(o.exit_code, 0) << o.out;  // faster is not a regression
  EXPECT_NE(o.out.find("| pair |"), std::string::npos);
  EXPECT_EQ(verdicts("b.json", "a.json"), (std::vector<std::string>{"improved", "improved"}));
  // A threshold above the change turns it into no change.
  o = Run({"compare", Path("a.json"), Path("b.json"), "--threshold", "500"});
  EXPECT_EQ(o.exit_code, 0) << o.out;
}

TEST_F(CliGate, FewRepetitionsWarnAboutPower) {
  ASSERT_EQ(Sleeps("a.json", "1ms", {}, "pool,asio", "3").exit_code, 0);
  Outcome o = Run({"compare", Path("a.json"), Path("a.json")});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("little power"), std::string::npos) << o.out;
}

TEST_F(CliGate, CompareRejectsBadFilesNamingThem) {
  ASSERT_EQ(Sleeps("a.json", "1ms").exit_code, 0);
  Write("schema.json", R"({"schema": "other/2", "results": []})");
  Write("broken.json", R"({"schema": "concbench/1", "results": [)");
  Write("times.json", R"({"schema": "concbench/1", "results": [{"workload": "sleep",
      "engine": "pool", "parameters": {}}]})");
  struct Case {
    std::string file, message;
  };
  for (const Case& c :
       {Case{"schema.json", "schema \"other/2\" is not concbench/1"},
        Case{"broken.json", "not valid JSON"}, Case{"times.json", "results[0].times: missing"}}) {
    Outcome o = Run({"compare", Path("a.json"), Path(c.file)});
    EXPECT_EQ(o.exit_code, 2) << c.file;
    EXPECT_NE(o.err.find(Path(c.file) + ": " + c.message), std::string::npos) << o.err;
  }
  Outcome o = Run({"compare", Path("a.json"), Path("missing.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("missing.json"), std::string::npos) << o.err;
  o = Run({"compare", Path("a.json"), Path("a.json"), "--metric", "latency"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--metric"), std::string::npos) << o.err;
}

TEST_F(CliGate, CompareRefusesByteCountsBeyondALong) {
  const std::string result = R"({"workload": "sleep", "engine": "pool", "parameters": {},
      "times": [1, 1, 1], "peak_rss_samples": [PEAK, PEAK, PEAK]})";
  auto file = [&](const std::string& peak) {
    std::string text = result;
    for (std::size_t at; (at = text.find("PEAK")) != std::string::npos;) {
      text.replace(at, 4, peak);
    }
    return R"({"schema": "concbench/1", "results": [)" + text + "]}";
  };
  Write("huge.json", file("1e19"));
  Outcome o = Run({"compare", Path("huge.json"), Path("huge.json"), "--metric", "peak_rss"});
  EXPECT_EQ(o.exit_code, 2) << o.out;
  EXPECT_NE(o.err.find(Path("huge.json") +
                       ": results[0].peak_rss_samples: 1e+19 is beyond the largest byte count"),
            std::string::npos)
      << o.err;
  // Large but valid counts print in their unit, never as a negative number.
  Write("large.json", file("5e12"));
  o = Run({"compare", Path("large.json"), Path("large.json"), "--metric", "peak_rss"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("4.55 TiB"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("-9"), std::string::npos) << o.out;
}

TEST_F(CliGate, AZeroBaseIsNotComparableAndFailsTheGate) {
  auto file = [](const std::string& times) {
    return R"({"schema": "concbench/1", "results": [{"workload": "sleep", "engine": "pool",
        "parameters": {}, "times": [)" +
           times + "]}]}";
  };
  Write("zero.json", file("0, 0, 0, 0, 0, 0"));
  Write("slow.json", file("1, 1.1, 1.2, 1.05, 1.15, 1.12"));
  Outcome o = Run({"compare", Path("zero.json"), Path("slow.json")});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_EQ(o.out.find("improved  "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("not comparable: sleep on pool: the base median is 0"), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("1 not comparable"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("could not be compared"), std::string::npos) << o.err;
  o = Run({"compare", Path("zero.json"), Path("slow.json"), "--format", "json"});
  EXPECT_EQ(o.exit_code, 1);
  json report = json::parse(o.out);
  EXPECT_EQ(report["pairs"][0]["verdict"], "not comparable");
  EXPECT_TRUE(report["pairs"][0]["change"].is_null());
  EXPECT_EQ(report["failed"], true);
  EXPECT_EQ(report["not_comparable"], 1);
}

TEST_F(CliGate, BaselinesAreSavedAndComparedByName) {
  std::string folder = Path("baselines");
  ASSERT_EQ(Sleeps("a.json", "20ms",
                   {"--save-baseline", "main", "--baseline-dir", folder, "--name", "io"})
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(dir_ / "baselines" / "main.json"));
  // Tripled, to stand out of a busy machine's noise (the floor is half of it).
  ASSERT_EQ(Sleeps("b.json", "60ms", {"--name", "io"}).exit_code, 0);
  Outcome o = Run({"compare", "--baseline", "main", "--baseline-dir", folder, Path("b.json")});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  o = Run({"compare", "--baseline", "nope", "--baseline-dir", folder, Path("b.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("no baseline 'nope'"), std::string::npos) << o.err;
  o = Run({"run", "--save-baseline", "../escape"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("is not a baseline name"), std::string::npos) << o.err;
}

TEST_F(CliGate, ExportsInEveryFormat) {
  Outcome o = Sleeps("a.json", "1ms",
                     {"--export-csv", Path("a.csv"), "--export-markdown", Path("a.md"),
                      "--export-github", Path("a.github.json"), "--export-gbench",
                      Path("a.gbench.json"), "--export-json", Path("b.json")});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::string csv = ReadAll(dir_ / "a.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_EQ(
      csv.rfind("run,workload,engine,parameters,engine_settings,repetitions,mean,stddev,median", 0),
      0u);
  EXPECT_NE(csv.find(",sleep,pool,delay=1ms tasks=4,workers=2,8,"), std::string::npos) << csv;
  EXPECT_NE(ReadAll(dir_ / "a.md").find("| workload | engine |"), std::string::npos);
  json github = json::parse(ReadAll(dir_ / "a.github.json"));
  ASSERT_EQ(github.size(), 2u);
  for (const json& entry : github) {
    EXPECT_TRUE(entry["name"].is_string());
    EXPECT_EQ(entry["unit"], "s");
    EXPECT_TRUE(entry["value"].is_number());
    EXPECT_TRUE(entry["range"].is_string());
    EXPECT_TRUE(entry["extra"].is_string());
  }
  json gbench = json::parse(ReadAll(dir_ / "a.gbench.json"));
  EXPECT_TRUE(gbench["context"].contains("num_cpus"));
  ASSERT_EQ(gbench["benchmarks"].size(), 2u * (8 + 4));
  EXPECT_EQ(gbench["benchmarks"][0]["run_type"], "iteration");
  EXPECT_EQ(gbench["benchmarks"][8]["aggregate_name"], "mean");
  EXPECT_EQ(json::parse(ReadAll(dir_ / "b.json"))["schema"], "concbench/1");
  o = Run({"run", "--export-csv", "-", "--json", "-"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("only one output can go to stdout"), std::string::npos) << o.err;
}

// google/benchmark's own compare.py (Debian's libbenchmark-tools, installed by
// scripts/install-deps with python3-scipy) reads two gbench exports unchanged.
TEST_F(CliGate, GoogleBenchmarkComparePyReadsGbenchExports) {
  const char* compare_py = "/usr/share/benchmark/compare.py";
  ASSERT_TRUE(fs::exists(compare_py)) << "run scripts/install-deps (libbenchmark-tools)";
  ASSERT_EQ(Sleeps("a.json", "2ms", {"--export-gbench", Path("a.gb.json")}).exit_code, 0);
  ASSERT_EQ(Sleeps("b.json", "2ms", {"--export-gbench", Path("b.gb.json")}).exit_code, 0);
  std::string command = "/usr/bin/python3 " + std::string(compare_py) + " benchmarks " +
                        Path("a.gb.json") + " " + Path("b.gb.json") + " > " + Path("cmp.txt") +
                        " 2>&1";
  int status = std::system(command.c_str());
  std::string output = ReadAll(dir_ / "cmp.txt");
  ASSERT_EQ(status, 0) << output;
  // Named by the parameters given: --workers keeps its default (the number of cores) and out.
  EXPECT_NE(output.find("sleep/pool/delay:2ms/tasks:4 "), std::string::npos) << output;
  EXPECT_EQ(output.find("workers:"), std::string::npos) << output;
  EXPECT_NE(output.find("U Test"), std::string::npos) << output;  // its Mann-Whitney test ran
}

TEST_F(CliGate, SuiteChecksItsClaimsAndScalesTime) {
  Write("suite.json", R"({
    "description": "two claims",
    "time_scale": 0.5,
    "repetitions": 2,
    "warmup": 0,
    "runs": [
      {"name": "waits", "claim": "asio overlaps the waits", "workload": "sleep",
       "engines": ["sequential", "asio"], "parameters": {"tasks": 3, "delay": "200ms"},
       "expect": [{"engine": "sequential", "metric": "median", "min": "580ms", "max": "4s"},
                  {"engine": "asio", "metric": "median", "max": "500ms"},
                  {"metric": "tasks.completed", "value": 6}]},
      {"name": "wrong", "claim": "a claim that does not hold", "workload": "sleep",
       "engines": ["asio"], "parameters": {"tasks": 1, "delay": "20ms"},
       "expect": [{"metric": "median", "value": "1s", "tolerance": 0.1}]}
    ]
  })");
  Outcome o = Run({"run", "--suite", Path("suite.json"), "-q", "--json", Path("r.json")});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;  // the wrong claim fails
  json doc = json::parse(ReadAll(dir_ / "r.json"));
  ASSERT_EQ(doc["results"].size(), 3u);
  EXPECT_EQ(doc["results"][0]["run"], "waits");
  EXPECT_EQ(doc["results"][0]["settings"]["delay"], "100ms");  // 200ms scaled by 0.5
  EXPECT_EQ(doc["suite"]["time_scale"], 0.5);
  ASSERT_EQ(doc["expectations"].size(), 5u);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_TRUE(doc["expectations"][i]["passed"]) << doc["expectations"][i];
  EXPECT_FALSE(doc["expectations"][4]["passed"]);
  EXPECT_NE(o.out.find("FAIL"), std::string::npos) << o.out;

  Write("bad.json", R"({"runs": [{"workload": "sleep", "engines": ["asio"],
                          "expect": [{"engine": "thread", "metric": "median", "max": 1}]}]})");
  o = Run({"run", "--suite", Path("bad.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find(Path("bad.json") + ": runs[0].expect[0].engine: 'thread' is not among"),
            std::string::npos)
      << o.err;
  Write("typo.json", R"({"runs": [{"workload": "sleep", "paramters": {}}]})");
  o = Run({"run", "--suite", Path("typo.json")});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("unknown key 'paramters'"), std::string::npos) << o.err;
}

TEST_F(CliGate, ShippedCiSuiteIsValid) {
  // Runs the shipped suite with one repetition: every run must be well-formed and verified, and
  // every claim must name a figure its results have. Whether a timing claim holds depends on the
  // machine's load (one repetition, no warmup, maybe under a sanitizer): that is the suite's job
  // on a quiet machine, not this test's.
  const std::string suite = CONCBENCH_SOURCE_DIR "/suites/ci.json";
  Outcome o =
      Run({"run", "--suite", suite, "-r", "1", "--warmup", "0", "-q", "--json", Path("ci.json")});
  ASSERT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.out << o.err;
  json document = json::parse(ReadAll(Path("ci.json")));
  ASSERT_FALSE(document["results"].empty());
  for (const json& result : document["results"]) {
    EXPECT_TRUE(result["verified"].get<bool>()) << result["run"] << " " << result["engine"];
  }
  ASSERT_FALSE(document["expectations"].empty());
  for (const json& e : document["expectations"]) {
    std::string measured = e["measured"];
    EXPECT_NE(measured, "missing") << e.dump();
    EXPECT_NE(measured, "no result") << e.dump();
    if (!e["passed"].get<bool>()) {
      EXPECT_EQ(e["metric"], "median") << e.dump();
    }
  }
}

}  // namespace
