#include <gtest/gtest.h>

#include <chrono>

#include "engines/engine.hpp"
#include "workloads/params.hpp"
#include "workloads/primes.hpp"
#include "workloads/registry.hpp"
#include "workloads/sleep.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

Params Defaults(const std::vector<ParamSpec>& specs, std::map<std::string, std::string> given) {
  Params params;
  for (const ParamSpec& spec : specs) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (auto& [key, value] : given) params.set(key, value);
  return params;
}

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
    EXPECT_GT(record.cpu_seconds, 0.0);
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
  records[0].cpu_seconds = 1;
  records[1].cpu_seconds = 1;
  records[2].cpu_seconds = 1;
  records[3].cpu_seconds = 3;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 1, 8), 6.0);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 8, 2), 3.0);  // never below the longest
  records[3].cpu_seconds = 1;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(records, 8, 2), 2.0);  // 4 s over 2 cores
}

TEST(Sleep, BlockingFormWaitsAtLeastItsDelay) {
  auto workload = MakeSleepWorkload(Defaults(SleepParams(), {{"delays", "30ms,1ms"}}));
  ASSERT_EQ(workload->task_count(), 2u);
  TaskRecord record = RunTaskBlocking(*workload, 0, std::stop_token());
  EXPECT_EQ(record.status, TaskStatus::kOk);
  EXPECT_GE(record.end - record.start, 30ms);
  EXPECT_LT(record.end - record.start, 5s);  // bounded well above any scheduler delay
  EXPECT_EQ(workload->check(0, record), "");
}

TEST(Sleep, CheckRejectsATaskThatReturnedEarly) {
  auto workload = MakeSleepWorkload(Defaults(SleepParams(), {{"delay", "1s"}}));
  TaskRecord record;
  record.start = TaskRecord::Clock::now();
  record.end = record.start + 999ms;
  EXPECT_NE(workload->check(0, record).find("before its delay of 1s"), std::string::npos);
  record.end = record.start + 1s;
  EXPECT_EQ(workload->check(0, record), "");
}

TEST(Sleep, FloorIsTheLongestDelayOrTheTotalOverLanes) {
  auto workload = MakeSleepWorkload(Defaults(SleepParams(), {{"delays", "3s,2s,4s"}}));
  EXPECT_DOUBLE_EQ(workload->ideal_seconds({}, 1, 2), 9.0);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds({}, 2, 2), 4.5);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds({}, 3, 2), 4.0);
  EXPECT_DOUBLE_EQ(workload->ideal_seconds({}, 100, 2), 4.0);  // waits are not bound by cores
}

TEST(Sleep, DelaysConflictWithTasksAndDelay) {
  EXPECT_THROW(MakeSleepWorkload(Defaults(SleepParams(), {{"delays", "1s"}, {"tasks", "3"}})),
               ParamError);
  EXPECT_EQ(MakeSleepWorkload(Defaults(SleepParams(), {{"tasks", "7"}}))->task_count(), 7u);
}

TEST(Registry, EveryWorkloadIsMadeFromItsDefaults) {
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    auto workload = info.make(Defaults(info.params, {}));
    EXPECT_EQ(workload->name(), info.name);
    EXPECT_GT(workload->task_count(), 0u);
    EXPECT_EQ(FindWorkload(info.name), &info);
  }
  EXPECT_EQ(FindWorkload("nope"), nullptr);
}

TEST(Params, ParsesDurationsWithUnits) {
  std::string why;
  EXPECT_EQ(ParseDuration("2s", &why), std::chrono::nanoseconds(2s));
  EXPECT_EQ(ParseDuration("150ms", &why), std::chrono::nanoseconds(150ms));
  EXPECT_EQ(ParseDuration("20us", &why), std::chrono::nanoseconds(20us));
  EXPECT_EQ(ParseDuration("0.5s", &why), std::chrono::nanoseconds(500ms));
  for (const char* bad : {"", "2", "2x", "s", "-1s", "1.2.3s", "0s", "1e3s", "100000s"}) {
    EXPECT_FALSE(ParseDuration(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  EXPECT_EQ(FormatDuration(2s), "2s");
  EXPECT_EQ(FormatDuration(150ms), "150ms");
  EXPECT_EQ(FormatDuration(20us), "20us");
}

TEST(Params, ValidatesEachTypeAndNamesTheOption) {
  EXPECT_EQ(ValidateParam(ParamType::kCount, "3"), "");
  EXPECT_NE(ValidateParam(ParamType::kCount, "0"), "");
  EXPECT_NE(ValidateParam(ParamType::kCount, "-1"), "");
  EXPECT_NE(ValidateParam(ParamType::kCount, "3x"), "");
  EXPECT_NE(ValidateParam(ParamType::kCount, "99999999999999999999999"), "");
  EXPECT_EQ(ValidateParam(ParamType::kUInt64List, "5,7,11"), "");
  EXPECT_NE(ValidateParam(ParamType::kUInt64List, "5,,7"), "");
  EXPECT_EQ(ValidateParam(ParamType::kDurationList, "2s,3s"), "");
  EXPECT_NE(ValidateParam(ParamType::kDurationList, "2s,3"), "");
  Params params;
  params.set("tasks", "zero");
  try {
    params.count("tasks");
    FAIL() << "no ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(std::string(e.what()), "--tasks: 'zero' is not a whole number");
  }
}

}  // namespace
}  // namespace concbench
