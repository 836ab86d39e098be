// The data along a task graph's edges (workloads/graph): every task's output, stamped with its
// (step, point), in memory shared with the process engine's forked workers (MAP_SHARED), so that
// a task reads what its inputs wrote wherever they ran. Engines whose tasks run in processes that
// share no memory with the harness (mpi's ranks) carry outputs in their messages instead
// (Copy, Put).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace concbench {

// Word `word` of the output of the task at (step, point): splitmix64 of the three, never 0 (0 is
// "not written"). The Python engines compute the same (python/concbench_python/graph.py).
std::uint64_t Stamp(std::uint64_t step, std::uint64_t point, std::uint64_t word);

// Words are read and written through relaxed atomics: the engine's hand-over of a finished task
// orders them, and a task an engine starts too early reads a stale slot, never a torn one.
class EdgeData {
 public:
  // Room for `tasks` outputs of `bytes` rounded up to whole words; throws ParamError naming
  // --output-bytes when the memory cannot be mapped.
  EdgeData(std::size_t tasks, std::size_t bytes);
  ~EdgeData();
  EdgeData(const EdgeData&) = delete;
  EdgeData& operator=(const EdgeData&) = delete;

  // Every output back to "not written".
  void Clear() const;
  // Task `task`'s output: what the task at (step, point) writes.
  void Write(std::size_t task, std::uint64_t step, std::uint64_t point) const;
  // "" when task `task`'s output is what (step, point) writes, else what it holds instead.
  std::string Check(std::size_t task, std::uint64_t step, std::uint64_t point) const;

  // Appends task `task`'s output, bytes() bytes, as it is now (written or not).
  void Copy(std::size_t task, std::string& to) const;
  // Makes task `task`'s output `bytes`, which must be bytes() long (a copy Copy made elsewhere).
  void Put(std::size_t task, std::string_view bytes) const;

  std::size_t bytes() const { return words_ * 8; }

 private:
  std::uint64_t* Slot(std::size_t task) const { return base_ + task * words_; }

  std::size_t words_;
  std::uint64_t* base_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace concbench
