#include "workloads/payload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace concbench {

void Checksum::Mix(std::uint64_t word) { hash_ = (hash_ ^ word) * 0x100000001b3ull; }

void Checksum::Update(std::string_view bytes) {
  length_ += bytes.size();
  const char* data = bytes.data();
  std::size_t size = bytes.size();
  if (pending_size_ > 0) {
    std::size_t take = std::min(size, sizeof pending_ - pending_size_);
    std::memcpy(pending_ + pending_size_, data, take);
    pending_size_ += take;
    data += take;
    size -= take;
    if (pending_size_ < sizeof pending_) return;
    std::uint64_t word = 0;
    std::memcpy(&word, pending_, sizeof word);
    Mix(word);
    pending_size_ = 0;
  }
  for (; size >= 8; data += 8, size -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, data, sizeof word);
    Mix(word);
  }
  std::memcpy(pending_, data, size);
  pending_size_ = size;
}

std::uint64_t Checksum::Value() const {
  Checksum copy = *this;
  if (copy.pending_size_ > 0) {
    std::uint64_t word = 0;
    std::memcpy(&word, copy.pending_, copy.pending_size_);
    copy.Mix(word);
  }
  copy.Mix(length_);
  return copy.hash_;
}

std::uint64_t ChecksumOf(std::string_view bytes) {
  Checksum sum;
  sum.Update(bytes);
  return sum.Value();
}

std::string PayloadPattern(std::uint64_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string pattern(static_cast<std::size_t>(size), '\0');
  std::uint64_t state = 0x9e3779b97f4a7c15ull;  // xorshift64, fixed seed
  for (std::size_t block = 0; block < pattern.size(); block += 8) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::size_t end = std::min<std::size_t>(pattern.size(), block + 8);
    for (std::size_t i = block; i < end; ++i)
      pattern[i] = kAlphabet[(state >> (8 * (i - block))) & 63];
  }
  return pattern;
}

std::string PayloadStamp(std::size_t task, std::uint64_t size) {
  std::string stamp = fmt::format("task {};", task);
  if (stamp.size() > size) stamp.resize(static_cast<std::size_t>(size));
  return stamp;
}

void StampPayload(std::string& pattern, std::size_t task) {
  std::string stamp = PayloadStamp(task, pattern.size());
  pattern.replace(0, stamp.size(), stamp);
}

std::uint64_t PayloadChecksum(std::string_view pattern, std::size_t task) {
  std::string stamp = PayloadStamp(task, pattern.size());
  Checksum sum;
  sum.Update(stamp);
  sum.Update(pattern.substr(stamp.size()));
  return sum.Value();
}

std::vector<std::string> PayloadDescriptions(std::string_view pattern, std::size_t tasks) {
  std::vector<std::string> descriptions;
  descriptions.reserve(tasks);
  for (std::size_t i = 0; i < tasks; ++i) {
    descriptions.push_back(DescribePayload(pattern.size(), PayloadChecksum(pattern, i)));
  }
  return descriptions;
}

std::string DescribePayload(std::uint64_t size, std::uint64_t checksum) {
  return fmt::format("{} bytes, checksum {:016x}", size, checksum);
}

}  // namespace concbench
