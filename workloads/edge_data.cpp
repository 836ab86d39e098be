#include "workloads/edge_data.hpp"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "concbench/params.hpp"

namespace concbench {

std::uint64_t Stamp(std::uint64_t step, std::uint64_t point, std::uint64_t word) {
  std::uint64_t z = (step << 32 ^ point) + (word + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z == 0 ? 1 : z;
}

EdgeData::EdgeData(std::size_t tasks, std::size_t bytes) : words_((bytes + 7) / 8) {
  std::size_t size = std::max<std::size_t>(1, tasks * words_ * 8);
  void* memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    throw ParamError(fmt::format("--output-bytes: {} bytes for {} tasks' outputs: {}", size, tasks,
                                 std::strerror(errno)));
  }
  base_ = static_cast<std::uint64_t*>(memory);
  size_ = size;
}

EdgeData::~EdgeData() { ::munmap(base_, size_); }

void EdgeData::Clear() const { std::memset(base_, 0, size_); }

void EdgeData::Write(std::size_t task, std::uint64_t step, std::uint64_t point) const {
  std::uint64_t* slot = Slot(task);
  for (std::size_t w = 0; w < words_; ++w) {
    std::atomic_ref<std::uint64_t>(slot[w]).store(Stamp(step, point, w), std::memory_order_relaxed);
  }
}

std::string EdgeData::Check(std::size_t task, std::uint64_t step, std::uint64_t point) const {
  std::uint64_t* slot = Slot(task);
  for (std::size_t w = 0; w < words_; ++w) {
    std::uint64_t value = std::atomic_ref<std::uint64_t>(slot[w]).load(std::memory_order_relaxed);
    if (value == Stamp(step, point, w)) continue;
    if (w == 0 && value == 0) return "its output was not there yet";
    return fmt::format("its output differs at byte {}", w * 8);
  }
  return "";
}

void EdgeData::Copy(std::size_t task, std::string& to) const {
  std::uint64_t* slot = Slot(task);
  for (std::size_t w = 0; w < words_; ++w) {
    std::uint64_t value = std::atomic_ref<std::uint64_t>(slot[w]).load(std::memory_order_relaxed);
    to.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
}

void EdgeData::Put(std::size_t task, std::string_view bytes) const {
  std::uint64_t* slot = Slot(task);
  for (std::size_t w = 0; w < words_ && (w + 1) * 8 <= bytes.size(); ++w) {
    std::uint64_t value = 0;
    std::memcpy(&value, bytes.data() + w * 8, sizeof value);
    std::atomic_ref<std::uint64_t>(slot[w]).store(value, std::memory_order_relaxed);
  }
}

}  // namespace concbench
