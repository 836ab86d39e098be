// A run's memory does not grow with its repetitions: each repetition's per-task records are
// reduced when it ends, so five repetitions peak about where one does.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli_fixture.hpp"
#include "tests/sanitized.hpp"

namespace concbench::testing {
namespace {

struct Peaks {
  double measured = 0;  // the results' peak_rss_bytes: the largest of one repetition's
  double process = 0;   // the whole program's, from wait4
};

class CliMemory : public Cli {
 protected:
  // Peaks of 200,000 empty tasks on the sequential engine, `repetitions` times.
  Peaks PeaksOf(const std::string& repetitions) {
    fs::path json = dir_ / ("r" + repetitions + ".json");
    pid_t pid = Start({"run", "-w", "spin", "--grain", "0", "--tasks", "200000", "-e", "sequential",
                       "-r", repetitions, "--warmup", "1", "-q", "--json", json.string()});
    int status = 0;
    rusage usage{};
    EXPECT_EQ(::wait4(pid, &status, 0, &usage), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadAll(dir_ / "err");
    nlohmann::json doc = nlohmann::json::parse(ReadAll(json));
    EXPECT_EQ(doc["results"][0]["times"].size(), std::stoul(repetitions));
    return {doc["results"][0]["peak_rss_bytes"].get<double>(),
            static_cast<double>(usage.ru_maxrss) * 1024};
  }
};

TEST_F(CliMemory, FiveRepetitionsPeakWhereOneDoes) {
  if (kSanitized) GTEST_SKIP() << "sanitizers' shadow memory changes the figures";
  Peaks one = PeaksOf("1");
  Peaks five = PeaksOf("5");
  // Records alone are over 20 MB here; a timeline kept from an earlier repetition (8 MB) would
  // add a quarter to the peak of each measured repetition, records kept more.
  EXPECT_GT(one.measured, 20e6);
  EXPECT_LT(five.measured, 1.15 * one.measured) << one.measured << " then " << five.measured;
  EXPECT_LT(five.process, 1.25 * one.process) << one.process << " then " << five.process;
}

}  // namespace
}  // namespace concbench::testing
