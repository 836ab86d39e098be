// The primes workload: trial division and Miller-Rabin, its options, check and floor.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engines/engine.hpp"
#include "tests/workload_helpers.hpp"
#include "workloads/primes.hpp"

namespace concbench {
namespace {

using testing::Defaults;

TEST(Primes, TrialDivisionAndMillerRabinAgreeOnSmallNumbers) {
  for (std::uint64_t n = 0; n < 20000; ++n) {
    EXPECT_EQ(IsPrimeTrialDivision(n, std::stop_token()), IsPrimeMillerRabin(n)) << n;
  }
}

TEST(Primes, KnownPrimesAndComposites) {
  // Large primes, Carmichael numbers and strong pseudoprimes to small bases.
  for (std::uint64_t p : {2ull, 3ull, 1000000007ull, 998244353ull, 2147483647ull,
                          1000000000000000003ull, 18446744073709551557ull}) {
    EXPECT_TRUE(IsPrimeMillerRabin(p)) << p;
  }
  for (std::uint64_t c : {1ull, 561ull, 1105ull, 2047ull, 3215031751ull, 3825123056546413051ull,
                          18446744073709551615ull, 1000000007ull * 998244353ull}) {
    EXPECT_FALSE(IsPrimeMillerRabin(c)) << c;
  }
  EXPECT_TRUE(IsPrimeTrialDivision(1000000007ull, std::stop_token()));
  EXPECT_FALSE(IsPrimeTrialDivision(3215031751ull, std::stop_token()));
}

TEST(Primes, TheTutorialsSixNumbers) {
  auto workload = MakePrimesWorkload(Defaults(PrimesParams(), {}));
  ASSERT_EQ(workload->task_count(), 6u);
  std::vector<std::string> expected = {"prime", "prime", "prime", "prime", "prime", "composite"};
  for (std::size_t i = 0; i < 6; ++i) {
    TaskRecord record = RunTaskBlocking(*workload, i, std::stop_token());
    EXPECT_EQ(record.result, expected[i]) << i;
    EXPECT_EQ(workload->check(i, record), "");
    ASSERT_TRUE(record.cpu_seconds) << "primes' floor needs each task's CPU time";
    EXPECT_GT(*record.cpu_seconds, 0.0);
  }
}

TEST(Primes, CheckRejectsAWrongAnswer) {
  auto workload = MakePrimesWorkload(Defaults(PrimesParams(), {{"numbers", "97,91"}}));
  TaskRecord record;
  record.status = TaskStatus::kOk;
  record.result = "composite";
  EXPECT_NE(workload->check(0, record).find("Miller-Rabin says 'prime'"), std::string::npos);
  record.result = "prime";
  EXPECT_NE(workload->check(1, record), "");
}

TEST(Primes, CountGivesConsecutivePrimesAtOrAboveMin) {
  auto workload = MakePrimesWorkload(Defaults(PrimesParams(), {{"count", "3"}, {"min", "100"}}));
  ASSERT_EQ(workload->task_count(), 3u);
  nlohmann::json params = workload->parameters();
  EXPECT_EQ(params["count"], 3);
  EXPECT_EQ(params["min"], 100);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(RunTaskBlocking(*workload, i, std::stop_token()).result, "prime");
  }
}

TEST(Primes, StopInterruptsALongTrialDivision) {
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THROW(IsPrimeTrialDivision(18446744073709551557ull, stop.get_token()), TaskCancelled);
}

TEST(Primes, RejectsConflictingOptions) {
  EXPECT_THROW(MakePrimesWorkload(Defaults(PrimesParams(), {{"count", "3"}, {"numbers", "5"}})),
               ParamError);
  EXPECT_THROW(MakePrimesWorkload(Defaults(PrimesParams(), {{"min", "5"}})), ParamError);
}

TEST(Primes, FloorUsesTaskCpuTimeOverMinOfLanesAndCores) {
  auto workload = MakePrimesWorkload(Defaults(PrimesParams(), {{"numbers", "5,7,11,13"}}));
  std::vector<TaskRecord> records(4);
  for (TaskRecord& record : records) record.status = TaskStatus::kOk;
  records[0].cpu_seconds = 1;
  records[1].cpu_seconds = 1;
  records[2].cpu_seconds = 1;
  records[3].cpu_seconds = 3;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 1, 8), 6.0);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 8, 2), 3.0);  // never below the longest
  records[3].cpu_seconds = 1;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 8, 2), 2.0);  // 4 s over 2 cores
  records[3].status = TaskStatus::kFailed;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 8, 2), 1.5);  // completed tasks only
}

}  // namespace
}  // namespace concbench
