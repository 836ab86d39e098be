// Option values: durations, byte counts and each type's validation.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "concbench/params.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

TEST(Params, ParsesDurationsWithUnits) {
  std::string why;
  EXPECT_EQ(ParseDuration("2s", &why), std::chrono::nanoseconds(2s));
  EXPECT_EQ(ParseDuration("150ms", &why), std::chrono::nanoseconds(150ms));
  EXPECT_EQ(ParseDuration("20us", &why), std::chrono::nanoseconds(20us));
  EXPECT_EQ(ParseDuration("0.5s", &why), std::chrono::nanoseconds(500ms));
  EXPECT_EQ(ParseDuration("250ns", &why), std::chrono::nanoseconds(250));
  EXPECT_EQ(ParseDuration("0.464us", &why), std::chrono::nanoseconds(464));
  for (const char* bad : {"", "2", "2x", "s", "-1s", "1.2.3s", "0s", "0.4ns", "1e3s", "100000s"}) {
    EXPECT_FALSE(ParseDuration(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  for (const char* zero : {"0", "0s", "0ms", "0us", "0ns"}) {
    EXPECT_EQ(ParseDurationOrZero(zero, &why), std::chrono::nanoseconds(0)) << zero;
    EXPECT_EQ(ValidateParam(ParamType::kDurationOrZero, zero), "") << zero;
  }
  EXPECT_EQ(ParseDurationOrZero("2ms", &why), std::chrono::nanoseconds(2ms));
  EXPECT_NE(ValidateParam(ParamType::kDurationOrZero, "0x"), "");
  EXPECT_NE(ValidateParam(ParamType::kDurationOrZero, "0.5ns"), "");
  // A grain below a microsecond prints in fractions of one, which reads back the same.
  EXPECT_EQ(FormatDuration(std::chrono::nanoseconds(464)), "0.464us");
  EXPECT_EQ(FormatDuration(2s), "2s");
  EXPECT_EQ(FormatDuration(150ms), "150ms");
  EXPECT_EQ(FormatDuration(20us), "20us");
}

TEST(Params, ParsesByteCountsWithUnits) {
  std::string why;
  EXPECT_EQ(ParseBytes("0", &why), 0u);
  EXPECT_EQ(ParseBytes("65536", &why), 65536u);
  EXPECT_EQ(ParseBytes("64KiB", &why), 65536u);
  EXPECT_EQ(ParseBytes("3MiB", &why), 3u << 20);
  EXPECT_EQ(ParseBytes("2GiB", &why), 2ull << 30);
  EXPECT_EQ(ParseBytes("7B", &why), 7u);
  for (const char* bad : {"", "KiB", "1.5MiB", "-1", "64kb", "64 KiB", "99999999999999GiB"}) {
    EXPECT_FALSE(ParseBytes(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  EXPECT_EQ(ValidateParam(ParamType::kBytes, "1MiB"), "");
  EXPECT_NE(ValidateParam(ParamType::kBytes, "1MB"), "");
  EXPECT_EQ(ValidateParam(ParamType::kText, "x"), "");
  EXPECT_NE(ValidateParam(ParamType::kText, ""), "");
  Params params;
  params.set("size", "lots");
  EXPECT_THROW(params.bytes("size"), ParamError);
}

// A repeatable option's values are held one per line, in the order given.
TEST(Params, ATextListKeepsEachValueInOrder) {
  EXPECT_EQ(ValidateParam(ParamType::kTextList, "A=1\nB=2,3"), "");
  EXPECT_EQ(ValidateParam(ParamType::kTextList, "A=1\n"), "a value is required");
  Params params;
  EXPECT_EQ(params.text_list("env"), std::vector<std::string>{});
  params.set("env", "A=1\nB=2,3");
  EXPECT_EQ(params.text_list("env"), (std::vector<std::string>{"A=1", "B=2,3"}));
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
