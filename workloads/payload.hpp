// Deterministic task payloads and their checksum, shared by the http and file workloads.
//
// Task i's payload of `size` bytes is a fixed printable pattern (the same for every task) whose
// first bytes are overwritten by a stamp naming the task, so payloads of different tasks differ
// and a payload delivered to the wrong task fails its check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

// A 64-bit checksum of a byte stream, fed in pieces of any size: FNV-1a over 8-byte words
// (the last one zero-padded), then the length. Not cryptographic; catches corruption.
class Checksum {
 public:
  void Update(std::string_view bytes);
  std::uint64_t Value() const;

 private:
  void Mix(std::uint64_t word);

  std::uint64_t hash_ = 0xcbf29ce484222325ull;
  std::uint64_t length_ = 0;
  unsigned char pending_[8] = {};
  std::size_t pending_size_ = 0;
};

std::uint64_t ChecksumOf(std::string_view bytes);

// The pattern every payload of `size` bytes starts from.
std::string PayloadPattern(std::uint64_t size);
// Task `task`'s stamp, cut to at most `size` bytes ("task 12;" and so on).
std::string PayloadStamp(std::size_t task, std::uint64_t size);
// Overwrites the start of `pattern` (from PayloadPattern) with task `task`'s stamp.
void StampPayload(std::string& pattern, std::size_t task);
// The checksum of task `task`'s payload, given PayloadPattern(size), without copying it.
std::uint64_t PayloadChecksum(std::string_view pattern, std::size_t task);
// DescribePayload of tasks 0..tasks-1's payloads, given PayloadPattern(size).
std::vector<std::string> PayloadDescriptions(std::string_view pattern, std::size_t tasks);
// How a task describes a payload it received: "<size> bytes, checksum <16 hex digits>".
std::string DescribePayload(std::uint64_t size, std::uint64_t checksum);

}  // namespace concbench
