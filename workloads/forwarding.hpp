// A workload that forwards every call to another: the base of the decorators (--fail-rate's
// FailingWorkload, --task-cpu's TaskCpuWorkload), which override only what they change, so
// that a call added to Workload reaches the wrapped workload without a decorator forgetting it.
#pragma once

#include <utility>

#include "concbench/workload.hpp"

namespace concbench {

class ForwardingWorkload : public Workload {
 public:
  // `inner` must outlive this workload.
  explicit ForwardingWorkload(const Workload& inner) : inner_(inner) {}

  std::string_view name() const override { return inner_.name(); }
  TaskKind kind() const override { return inner_.kind(); }
  std::size_t task_count() const override { return inner_.task_count(); }
  bool blocks_thread(std::size_t index) const override { return inner_.blocks_thread(index); }
  const TaskGraph* graph() const override { return inner_.graph(); }
  TaskNeeds needs() const override { return inner_.needs(); }
  bool wants_task_cpu() const override { return inner_.wants_task_cpu(); }
  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    return inner_.run_blocking(index, std::move(stop));
  }
  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    return inner_.run_async(index, std::move(stop));
  }
  WaitTask run_wait(std::size_t index, std::stop_token stop) const override {
    return inner_.run_wait(index, std::move(stop));
  }
  nlohmann::json python_form() const override { return inner_.python_form(); }
  void take_python_state(const nlohmann::json& state) const override {
    inner_.take_python_state(state);
  }
  bool starts_commands() const override { return inner_.starts_commands(); }
  ProcessUsage command_usage(std::size_t index) const override {
    return inner_.command_usage(index);
  }
  void take_command_usage(std::size_t index, const ProcessUsage& usage) const override {
    inner_.take_command_usage(index, usage);
  }
  std::string check(std::size_t index, const TaskRecord& record) const override {
    return inner_.check(index, record);
  }
  std::string check_run(std::span<const TaskRecord> records) const override {
    return inner_.check_run(records);
  }
  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    return inner_.ideal_seconds(records, lanes, cores);
  }
  nlohmann::json parameters() const override { return inner_.parameters(); }
  void after_fork() const override { inner_.after_fork(); }
  void begin_run() const override { inner_.begin_run(); }
  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    return inner_.end_run(records);
  }

 protected:
  const Workload& inner() const { return inner_; }

 private:
  const Workload& inner_;
};

}  // namespace concbench
