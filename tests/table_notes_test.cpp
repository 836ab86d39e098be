#include "reports/table_notes.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "results/statistics.hpp"
#include "tests/sample_result.hpp"

namespace concbench {
namespace {

using testing::SampleResult;

// Three counter results as the tutorial's lesson has them: threads lose updates, asio keeps them.
std::vector<Result> CounterResults() {
  std::vector<Result> results = {SampleResult("sequential", 1.0), SampleResult("thread", 0.1),
                                 SampleResult("asio", 0.1), SampleResult("pool", 0.5)};
  for (Result& r : results) r.workload = "counter";
  results[0].metrics = {{"final", 10}, {"outcome", "kept all 10 updates"}};
  results[1].metrics = {{"final", 1}, {"outcome", "lost 9 of 10 updates: tasks read the same"}};
  results[2].metrics = {{"final", 10}, {"outcome", "kept all 10 updates"}};
  results[2].wall.median = 0.09;
  results[3].metrics = {{"final", 5}, {"outcome", "lost 5 of 10 updates: tasks read the same"}};
  return results;
}

std::string Notes(const std::vector<Result>& results, bool verbose) {
  std::ostringstream out;
  WriteTableNotes(out, results, {.color = false, .verbose = verbose});
  return out.str();
}

TEST(TableNotes, TheLessonIsInWordsAndTheFiguresBehindVerbose) {
  EXPECT_EQ(Notes(CounterResults(), false),
            "What the run shows:\n"
            "  counter: asio fastest (90.0 ms), sequential slowest (1.00 s, 11.1× as long)\n"
            "    kept all 10 updates: sequential, asio\n"
            "    lost 9 of 10 updates: thread\n"
            "    lost 5 of 10 updates: pool\n");
  std::string verbose = Notes(CounterResults(), true);
  EXPECT_NE(verbose.find("counter on thread: final 1, outcome lost 9 of 10 updates: tasks read "
                         "the same\n"),
            std::string::npos)
      << verbose;
}

TEST(TableNotes, UnverifiedResultsAreNeitherFastestNorSlowest) {
  std::vector<Result> results = CounterResults();
  results[2].verified = false;
  results[0].verified = false;
  std::string notes = Notes(results, false);
  EXPECT_NE(notes.find("  counter: thread fastest (100 ms), pool slowest (500 ms, 5.0× as long)\n"),
            std::string::npos)
      << notes;
}

TEST(TableNotes, ASweepNamesEachPointsParametersAndOneResultShowsNoSpeed) {
  std::vector<Result> results = {SampleResult("sequential", 1.0), SampleResult("sequential", 2.0)};
  results[0].workload_parameters = {{"tasks", 2}};
  results[1].workload_parameters = {{"tasks", 4}};
  EXPECT_EQ(Notes(results, false), "");  // one engine a point: nothing to compare
  results.push_back(SampleResult("thread", 0.5));
  results.back().workload_parameters = {{"tasks", 4}};
  std::string notes = Notes(results, false);
  EXPECT_NE(notes.find("  sleep (tasks=4): thread fastest"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("tasks=2"), std::string::npos) << notes;
}

TEST(TableNotes, NoiseWarningsFoldIntoOneLineOthersStay) {
  std::vector<Result> results = {SampleResult("sequential", 1.0), SampleResult("thread", 0.5)};
  results[0].times = {1.0, 1.5, 0.6};
  results[0].wall = Summarize(results[0].times);
  results[0].warnings = MeasurementWarnings(results[0], 1);
  ASSERT_FALSE(results[0].warnings.empty());
  EXPECT_TRUE(IsNoiseWarning(results[0].warnings[0]));
  results[1].warnings = {"efficiency above 100%"};
  EXPECT_FALSE(IsNoiseWarning(results[1].warnings[0]));
  std::string notes = Notes(results, false);
  EXPECT_NE(notes.find("warning: 1 of 2 results varied between repetitions"), std::string::npos)
      << notes;
  EXPECT_NE(notes.find("warning: sleep on thread: efficiency above 100%\n"), std::string::npos)
      << notes;
  EXPECT_EQ(notes.find("noisy:"), std::string::npos) << notes;
  notes = Notes(results, true);
  EXPECT_NE(notes.find("warning: sleep on sequential: noisy:"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("results varied"), std::string::npos) << notes;
}

}  // namespace
}  // namespace concbench
