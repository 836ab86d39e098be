// The worker side of the process engine, and the wire between a worker and its parent: the
// parent writes a batch of task indices, the worker runs its tasks in order and writes back each
// task's record as soon as the task is done.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "concbench/task_record.hpp"
#include "concbench/workload.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {

// Tasks first .. first + count - 1, as the parent sends them to a worker.
struct TaskBatch {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
};

// A record as it crosses the socket, followed by `result_size` bytes of text.
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

// The worker's whole life, in a forked child on socket `fd`: tell the workload it was forked,
// write kWorkerReady, read a batch, run its tasks in order and send each record (and its text) in
// one write; exit on EOF. A task chosen by `crash` kills its worker with SIGKILL as it starts.
[[noreturn]] void WorkerMain(const Workload& workload, int fd, SeededChoice crash);

}  // namespace concbench
