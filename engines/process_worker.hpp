// The worker side of the process engine, and the wire between a worker and its parent: the
// parent writes a batch of task indices on the socket; the worker runs its tasks in order and
// appends each task's record to the record buffer they share (engines/record_buffer) as soon as
// the task is done, with no system call; a byte on the socket (the doorbell) tells the parent to
// take what was published: at the batch's end, when kDoorbellInterval passed since the last ring
// with records unannounced, and when the buffer is full.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "concbench/task_record.hpp"
#include "concbench/workload.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {

struct RecordRegion;  // engines/record_buffer.hpp

// Tasks first .. first + count - 1, as the parent sends them to a worker.
struct TaskBatch {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
};

// A record as it crosses to the parent (or the mpi engine's messages), followed by `result_size`
// bytes of text.
struct WireRecord {
  std::uint64_t index;
  std::int32_t status;
  std::int64_t start_ns;
  std::int64_t end_ns;
  double cpu_seconds;  // negative when not recorded
  std::int64_t worker;
  ProcessUsage commands;
  std::uint32_t result_size;
};

// The byte a worker writes once it is ready for its first batch (after after_fork).
inline constexpr char kWorkerReady = 'r';
// The worker's doorbell: records were published. Rung at the batch's end and when
// kDoorbellInterval passed since the last ring with records unannounced (so that the parent sees
// progress: a graph's ready tasks, --timeout, --return-when).
inline constexpr char kDoorbell = 'd';
inline constexpr std::chrono::milliseconds kDoorbellInterval{1};
// The worker's buffer is full: it writes nothing more until the parent, having taken every record
// and set the buffer back to 0, answers kBufferTaken; the worker then writes from offset 0.
inline constexpr char kBufferFull = 'f';
inline constexpr char kBufferTaken = 't';

// Reads exactly `size` bytes; false on EOF or error.
bool ReadAll(int fd, void* data, std::size_t size);
// Sends exactly `size` bytes on a socket without raising SIGPIPE when the peer is gone; false
// on error.
bool WriteAll(int fd, const void* data, std::size_t size);

// A time point as nanoseconds since the clock's epoch, and back.
std::int64_t Nanos(TaskRecord::Clock::time_point t);
TaskRecord::Clock::time_point FromNanos(std::int64_t ns);

// Task `index`'s record and its commands' usage as they cross the wire (its result text
// follows it).
WireRecord ToWire(std::uint64_t index, const TaskRecord& record, const ProcessUsage& commands);

// The worker's whole life, in a forked child on socket `fd` with the record buffer `records`
// (shared with the parent, which sets it to 0 before each batch): tell the workload it was
// forked, write kWorkerReady, read a batch, run its tasks in order and publish each record in the
// buffer, ringing the doorbell as above; exit on EOF. A task chosen by `crash` kills its worker
// with SIGKILL as it starts: the records published before stay readable.
[[noreturn]] void WorkerMain(const Workload& workload, int fd, RecordRegion records,
                             SeededChoice crash);

}  // namespace concbench
