#include "engines/pool_graph.hpp"

#include <utility>

namespace concbench {

// Finished tasks are reported at least this often when --return-when does not need each end.
constexpr std::size_t kReportEvery = 64;

ReadyQueue::ReadyQueue(const Workload& workload, const TaskGraph& graph,
                       std::vector<TaskRecord>& records, std::vector<ProcessUsage>& commands,
                       RunControl& control, bool spin)
    : workload_(workload),
      records_(records),
      commands_(commands),
      control_(control),
      ready_(graph),
      total_(records.size()),
      spin_(spin),
      queued_(ready_.initial().size()),
      queue_(ready_.initial().begin(), ready_.initial().end()) {}

void ReadyQueue::Spin(const std::stop_token& token) const {
  auto until = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 1;; ++i) {
    if (queued_.load(std::memory_order_relaxed) > 0 ||
        settled_.load(std::memory_order_relaxed) == total_) {
      return;
    }
    if (i % 64 == 0 && (token.stop_requested() || std::chrono::steady_clock::now() > until)) {
      return;
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
}

void ReadyQueue::Work(const std::stop_token& token) {
  bool each = control_.reports_each();
  std::vector<std::size_t> made;  // made ready by this worker's task, beyond the one kept
  std::size_t next = kNone;       // the task this worker runs next without the queue
  std::size_t unreported = 0;
  auto keep = [&next, &made](std::size_t task) {
    if (next == kNone) {
      next = task;
    } else {
      made.push_back(task);
    }
  };
  while (!token.stop_requested()) {
    if (next == kNone) {
      if (unreported > 0) control_.finished_many(std::exchange(unreported, 0));
      if (!Take(next, token)) break;
    }
    std::size_t task = std::exchange(next, kNone);
    TaskRecord& record = records_[task];
    RunTaskInto(record, workload_, task, token, CommandSlot(commands_, task));
    if (record.status == TaskStatus::kNotRun) break;
    if (each) {
      control_.finished(record.status);
    } else if (++unreported == kReportEvery) {
      control_.finished_many(std::exchange(unreported, 0));
    }
    std::size_t settled = 1 + Settle(ready_, task, records_, control_, keep);
    if (!made.empty()) Push(made);
    Settled(settled);
  }
  if (unreported > 0) control_.finished_many(unreported);
}

bool ReadyQueue::Take(std::size_t& task, const std::stop_token& token) {
  if (spin_) Spin(token);
  std::unique_lock lock(mutex_);
  if (queue_.empty()) {
    ++idle_;
    wake_.wait(lock, token, [this] {
      return !queue_.empty() || settled_.load(std::memory_order_acquire) == total_;
    });
    --idle_;
  }
  if (queue_.empty()) return false;
  task = queue_.front();
  queue_.pop_front();
  queued_.store(queue_.size(), std::memory_order_relaxed);
  return true;
}

void ReadyQueue::Push(std::vector<std::size_t>& tasks) {
  std::size_t idle = 0;
  {
    std::lock_guard lock(mutex_);
    queue_.insert(queue_.end(), tasks.begin(), tasks.end());
    queued_.store(queue_.size(), std::memory_order_relaxed);
    idle = idle_;
  }
  if (idle == 1 || (idle > 1 && tasks.size() == 1)) {
    wake_.notify_one();
  } else if (idle > 1) {
    wake_.notify_all();
  }
  tasks.clear();
}

void ReadyQueue::Settled(std::size_t count) {
  if (settled_.fetch_add(count, std::memory_order_acq_rel) + count != total_) return;
  { std::lock_guard lock(mutex_); }  // a worker between its check and its wait sees it
  wake_.notify_all();
}

}  // namespace concbench
