// Payloads and their checksums, as the http and file workloads send and check them.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "workloads/payload.hpp"

namespace concbench {
namespace {

TEST(Payload, ChecksumIsTheSameFedWholeOrInPieces) {
  std::string payload = PayloadPattern(1000);
  StampPayload(payload, 42);
  EXPECT_TRUE(payload.starts_with("task 42;"));
  std::uint64_t whole = ChecksumOf(payload);
  for (std::size_t cut : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u}) {
    Checksum sum;
    sum.Update(std::string_view(payload).substr(0, cut));
    sum.Update(std::string_view(payload).substr(cut));
    EXPECT_EQ(sum.Value(), whole) << cut;
  }
  EXPECT_EQ(PayloadChecksum(PayloadPattern(1000), 42), whole);
  EXPECT_NE(PayloadChecksum(PayloadPattern(1000), 43), whole);
  std::string flipped = payload;
  flipped[600] ^= 1;
  EXPECT_NE(ChecksumOf(flipped), whole);
  EXPECT_NE(ChecksumOf(payload + '\0'), whole);  // the length counts
  EXPECT_EQ(PayloadPattern(5), PayloadPattern(5));
  EXPECT_EQ(PayloadStamp(123, 4), "task");
}

}  // namespace
}  // namespace concbench
