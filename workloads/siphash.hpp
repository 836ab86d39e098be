// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash, used where a pattern needs
// values that look random but are the same on every run and machine.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace concbench {

// The 64-bit SipHash-2-4 of `size` bytes at `data` under the 16-byte `key`: the algorithm's
// 8 output bytes read as a little-endian number, as the paper's test vectors print them.
std::uint64_t SipHash24(const std::array<std::uint8_t, 16>& key, const void* data,
                        std::size_t size);

}  // namespace concbench
