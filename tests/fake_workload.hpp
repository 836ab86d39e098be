// A scriptable workload for engine tests: task i answers "task i", throws when i is in
// `throw_at`, and kills its own process with SIGKILL when i is in `kill_at` (process engine
// only). In-process runs count how often each task ran.
#pragma once

#include <signal.h>

#include <atomic>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "concbench/workload.hpp"

namespace concbench::testing {

class FakeWorkload : public Workload {
 public:
  explicit FakeWorkload(std::size_t tasks, std::set<std::size_t> throw_at = {},
                        std::set<std::size_t> kill_at = {})
      : tasks_(tasks),
        throw_at_(std::move(throw_at)),
        kill_at_(std::move(kill_at)),
        runs_(new std::atomic<int>[tasks]()) {}

  std::string_view name() const override { return "fake"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  std::size_t task_count() const override { return tasks_; }

  std::string run_blocking(std::size_t index, std::stop_token) const override {
    runs_[index].fetch_add(1);
    if (kill_at_.count(index)) ::raise(SIGKILL);
    if (throw_at_.count(index)) throw std::runtime_error("boom " + std::to_string(index));
    return "task " + std::to_string(index);
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    return record.result == "task " + std::to_string(index) ? "" : "wrong answer";
  }

  double ideal_seconds(std::span<const TaskRecord>, unsigned, unsigned) const override { return 0; }

  nlohmann::json parameters() const override { return {{"tasks", tasks_}}; }

  int runs(std::size_t index) const { return runs_[index].load(); }

 private:
  std::size_t tasks_;
  std::set<std::size_t> throw_at_;
  std::set<std::size_t> kill_at_;
  std::unique_ptr<std::atomic<int>[]> runs_;
};

}  // namespace concbench::testing
