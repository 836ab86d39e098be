#include "reports/csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/golden_results.hpp"

namespace concbench {
namespace {

TEST(Csv, GoldenOutput) {
  std::ostringstream out;
  WriteCsv(out, testing::GoldenResults());
  EXPECT_EQ(out.str(),
            "run,workload,engine,parameters,engine_settings,repetitions,mean,stddev,median,min,max,"
            "mad,p5,p25,p75,"
            "p95,cv,median_ci_low,median_ci_high,user,system,peak_rss_bytes,ideal,efficiency,"
            "speedup,relative,relative_uncertainty,reference,tasks_total,tasks_completed,"
            "tasks_failed,tasks_cancelled,tasks_pending,verified,commands_user,commands_system,"
            "commands_peak_rss_bytes,efficiency_note,unverified_reason\n"
            ",sleep,sequential,delays=[4 values] tasks=4,,3,0.5,0.25,0.5,0.25,0.75,0.25,0.275,"
            "0.375,0.625,0.725,0.5,0.25,0.75,0.125,0.125,4194304,0.3,0.6,1,1,0,sequential,"
            "12,12,0,0,0,true,0,0,0,,\n"
            "fast,primes,pool,\"numbers=5,7,11\",workers=2,3,0.25,0.125,0.25,0.125,0.375,0.125,"
            "0.1375,0.1875,0.3125,0.3625,0.5,0.125,0.375,0.0625,0.0625,1536,0.2,0.8,,0.4,0.04,"
            "thread,9,6,1,1,1,false,0.5,0.25,2097152,,task 1 failed: boom\n");
}

TEST(Csv, AnUndefinedEfficiencyIsEmptyWithItsReason) {
  Result r = testing::GoldenPrimesResult();
  r.efficiency.reset();
  r.efficiency_note = "no task completed";
  std::ostringstream out;
  WriteCsv(out, {r});
  EXPECT_NE(out.str().find(",0.2,,,0.4,"), std::string::npos) << out.str();  // ideal, efficiency
  EXPECT_NE(out.str().find(",no task completed,task 1 failed: boom\n"), std::string::npos);
}

TEST(Csv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  Result r = testing::GoldenPrimesResult();
  r.run = "say \"hi\"";
  r.workload = "a\nb";
  r.engine = "plain";
  std::ostringstream out;
  WriteCsv(out, {r});
  std::string row = out.str().substr(out.str().find('\n') + 1);
  EXPECT_EQ(row.substr(0, row.find(",3,")),
            "\"say \"\"hi\"\"\",\"a\nb\",plain,\"numbers=5,7,11\",workers=2");
}

TEST(Csv, NineSignificantDigits) {
  Result r = testing::GoldenSleepResult();
  r.wall.mean = 1.0 / 3;
  r.wall.stddev = 123456789012.0;
  std::ostringstream out;
  WriteCsv(out, {r});
  EXPECT_NE(out.str().find(",3,0.333333333,1.23456789e+11,0.5,"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace concbench
