#include "workloads/siphash.hpp"

namespace concbench {
namespace {

std::uint64_t Rotl(std::uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

// Bytes [at, at + count) of `bytes` as a little-endian number (count <= 8).
std::uint64_t LittleEndian(const std::uint8_t* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    value |= std::uint64_t{bytes[i]} << (8 * i);
  }
  return value;
}

struct SipState {
  std::uint64_t v0, v1, v2, v3;

  void Round() {
    v0 += v1;
    v1 = Rotl(v1, 13);
    v1 ^= v0;
    v0 = Rotl(v0, 32);
    v2 += v3;
    v3 = Rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = Rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = Rotl(v1, 17);
    v1 ^= v2;
    v2 = Rotl(v2, 32);
  }

  void Absorb(std::uint64_t word) {
    v3 ^= word;
    Round();
    Round();
    v0 ^= word;
  }
};

}  // namespace

std::uint64_t SipHash24(const std::array<std::uint8_t, 16>& key, const void* data,
                        std::size_t size) {
  const std::uint64_t k0 = LittleEndian(key.data(), 8);
  const std::uint64_t k1 = LittleEndian(key.data() + 8, 8);
  SipState state{k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL, k0 ^ 0x6c7967656e657261ULL,
                 k1 ^ 0x7465646279746573ULL};
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  const std::size_t whole = size - size % 8;
  for (std::size_t at = 0; at < whole; at += 8) {
    state.Absorb(LittleEndian(bytes + at, 8));
  }
  // The last word: the remaining bytes, the length's low byte on top.
  const std::uint64_t last = LittleEndian(bytes + whole, size % 8) | (std::uint64_t{size} << 56);
  state.Absorb(last);
  state.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) state.Round();
  return state.v0 ^ state.v1 ^ state.v2 ^ state.v3;
}

}  // namespace concbench
