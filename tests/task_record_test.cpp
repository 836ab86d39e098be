// TaskRecord: its size, and OptionalSeconds standing in for std::optional<double>.
#include "concbench/task_record.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <optional>

namespace concbench {
namespace {

TEST(TaskRecord, FitsIn64Bytes) {
  EXPECT_LE(sizeof(TaskRecord), 64u);
  EXPECT_EQ(sizeof(OptionalSeconds), sizeof(double));
}

TEST(OptionalSeconds, IsAbsentUntilAssigned) {
  OptionalSeconds seconds;
  EXPECT_FALSE(seconds);
  EXPECT_FALSE(seconds.has_value());
  EXPECT_EQ(seconds.value_or(-1), -1);
  EXPECT_THROW((void)seconds.value(), std::bad_optional_access);
  EXPECT_FALSE(TaskRecord().cpu_seconds);
}

TEST(OptionalSeconds, HoldsWhatWasAssignedZeroIncluded) {
  OptionalSeconds seconds;
  seconds = 0.0;
  ASSERT_TRUE(seconds);
  EXPECT_EQ(*seconds, 0.0);
  seconds = 1.5e-3;
  EXPECT_EQ(seconds.value(), 1.5e-3);
  EXPECT_EQ(seconds.value_or(-1), 1.5e-3);
}

TEST(OptionalSeconds, ResetsAsStdOptionalDoes) {
  OptionalSeconds seconds = 2.0;
  seconds.reset();
  EXPECT_FALSE(seconds);
  seconds = 2.0;
  seconds = std::nullopt;
  EXPECT_FALSE(seconds);
  seconds = std::numeric_limits<double>::quiet_NaN();  // NaN stands for absent
  EXPECT_FALSE(seconds);
}

}  // namespace
}  // namespace concbench
