#include "engines/record_buffer.hpp"

#include <fmt/format.h>
#include <string.h>
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

namespace concbench {

// Where the records start after the header: a cache line of its own for the published count.
constexpr std::size_t kHeaderBytes = 64;
static_assert(sizeof(RecordBufferHeader) <= kHeaderBytes);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

SharedRecordBuffer::SharedRecordBuffer(SharedRecordBuffer&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

SharedRecordBuffer& SharedRecordBuffer::operator=(SharedRecordBuffer&& other) noexcept {
  if (this != &other) {
    Unmap();
    base_ = std::exchange(other.base_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

SharedRecordBuffer::~SharedRecordBuffer() { Unmap(); }

std::string SharedRecordBuffer::Map(std::size_t bytes) {
  Unmap();
  bytes = std::max(bytes, kMinRecordBufferBytes);
  void* base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return fmt::format("mmap failed: {}", ::strerror(errno));
  base_ = base;
  bytes_ = bytes;
  new (base_) RecordBufferHeader();
  return "";
}

void SharedRecordBuffer::Unmap() {
  if (base_ != nullptr) ::munmap(base_, bytes_);
  base_ = nullptr;
  bytes_ = 0;
}

RecordRegion SharedRecordBuffer::region() const {
  if (base_ == nullptr) return {};
  return {static_cast<RecordBufferHeader*>(base_), static_cast<char*>(base_) + kHeaderBytes,
          bytes_ - kHeaderBytes};
}

bool RecordWriter::Append(WireRecord wire, std::string_view text) {
  std::size_t room = region_.capacity - written_;
  if (sizeof wire + text.size() > room) {
    if (written_ > 0) return false;
    // Not even an empty buffer holds it: the text is cut, at a UTF-8 boundary, and marked.
    std::size_t keep = room - sizeof wire - kCutMarker.size();
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
    char* at = region_.records + sizeof wire;
    std::memcpy(at, text.data(), keep);
    std::memcpy(at + keep, kCutMarker.data(), kCutMarker.size());
    text = std::string_view(at, keep + kCutMarker.size());  // already in place
  } else {
    std::memcpy(region_.records + written_ + sizeof wire, text.data(), text.size());
  }
  wire.result_size = static_cast<std::uint32_t>(text.size());
  std::memcpy(region_.records + written_, &wire, sizeof wire);
  written_ += sizeof wire + text.size();
  region_.header->published.store(written_, std::memory_order_release);
  return true;
}

bool RecordReader::Next(WireRecord& wire, std::string& result) {
  if (region_.header == nullptr) return false;
  std::size_t published = std::min<std::size_t>(
      region_.header->published.load(std::memory_order_acquire), region_.capacity);
  if (published < taken_ || published - taken_ < sizeof wire) return false;
  std::memcpy(&wire, region_.records + taken_, sizeof wire);
  if (published - taken_ - sizeof wire < wire.result_size) return false;
  result.assign(region_.records + taken_ + sizeof wire, wire.result_size);
  taken_ += sizeof wire + wire.result_size;
  return true;
}

void RecordReader::Restart() {
  if (region_.header != nullptr) region_.header->published.store(0, std::memory_order_release);
  taken_ = 0;
}

}  // namespace concbench
