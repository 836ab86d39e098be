// The process engine's record buffer: memory a worker and its parent share (mapped before the
// fork), where the worker appends each task's record (a WireRecord and its result text) and
// publishes it with one release store of the bytes written; the parent takes the records
// published since its last look. No system call per record: a byte on the socket rings.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engines/process_worker.hpp"

namespace concbench {

// The size of each worker's buffer, and the least a buffer may have (a record with the marker).
inline constexpr std::size_t kRecordBufferBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMinRecordBufferBytes = 4096;

// What ends a result text cut to fit an empty buffer.
inline constexpr std::string_view kCutMarker = " [cut: too long for the worker's record buffer]";

// The start of a shared buffer: the bytes of records published after it.
struct RecordBufferHeader {
  std::atomic<std::uint64_t> published{0};
};

// One buffer's memory, owned elsewhere: the header and `capacity` bytes of records after it.
struct RecordRegion {
  RecordBufferHeader* header = nullptr;
  char* records = nullptr;
  std::size_t capacity = 0;
};

// A buffer mapped MAP_SHARED | MAP_ANONYMOUS, so that the children forked after the mapping
// write to the pages the parent reads. Owns the mapping; moves, does not copy.
class SharedRecordBuffer {
 public:
  SharedRecordBuffer() = default;
  SharedRecordBuffer(SharedRecordBuffer&& other) noexcept;
  SharedRecordBuffer& operator=(SharedRecordBuffer&& other) noexcept;
  ~SharedRecordBuffer();

  // Maps `bytes` in all (at least kMinRecordBufferBytes, the header included); returns "" or
  // why not ("mmap failed: ...").
  std::string Map(std::size_t bytes = kRecordBufferBytes);
  // Unmaps it now (in a forked child, for the buffers of the other workers).
  void Unmap();
  // Empty until mapped.
  RecordRegion region() const;

 private:
  void* base_ = nullptr;
  std::size_t bytes_ = 0;
};

// The worker's side: appends records at its offset. Not thread-safe: the worker's one thread.
class RecordWriter {
 public:
  explicit RecordWriter(RecordRegion region) : region_(region) {}

  // Appends `wire` and `text` and publishes them (release store, no system call). False when
  // they do not fit after the records already written: nothing is written, and the caller rings
  // kBufferFull, waits for kBufferTaken, calls Restart and appends again. A record that does not
  // fit even an empty buffer has its text cut to fit (at a UTF-8 boundary), ending with
  // kCutMarker, and its result_size says the bytes written.
  bool Append(WireRecord wire, std::string_view text);

  // Writes from offset 0 again: only once the parent took every record (it set published to 0).
  void Restart() { written_ = 0; }
  std::size_t written() const { return written_; }

 private:
  RecordRegion region_;
  std::size_t written_ = 0;
};

// The parent's side: takes the records the worker published. Not thread-safe: one thread.
class RecordReader {
 public:
  RecordReader() = default;  // no buffer: nothing to take
  explicit RecordReader(RecordRegion region) : region_(region) {}

  // The next record published and not yet taken, with its result text; false when none. Reads
  // nothing past what was published (a text too long for it counts as not published).
  bool Next(WireRecord& wire, std::string& result);

  // Starts the buffer at 0 on both sides: sets published to 0 and forgets the offset. Only while
  // the worker writes nothing (before its next batch is sent, or before kBufferTaken) and after
  // every record it published was taken.
  void Restart();

 private:
  RecordRegion region_;
  std::size_t taken_ = 0;
};

}  // namespace concbench
