#include "workloads/counter.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <new>
#include <optional>
#include <stdexcept>

namespace concbench {
namespace {

// The shared state. The value is read and written separately (load, then store): the race
// loses updates without being undefined behaviour. With --shared it lives in a MAP_SHARED
// mapping made before any worker process forks, and the mutex is process-shared and robust
// (a worker killed while holding it does not wedge the others).
struct CounterCell {
  pthread_mutex_t mutex;
  std::atomic<long> value{0};
};

// Holds the cell's mutex for a scope.
class CellLock {
 public:
  explicit CellLock(CounterCell* cell) : mutex_(&cell->mutex) {
    int error = ::pthread_mutex_lock(mutex_);
    if (error == EOWNERDEAD) error = ::pthread_mutex_consistent(mutex_);
    if (error != 0) throw std::runtime_error(fmt::format("mutex: {}", ::strerror(error)));
  }
  ~CellLock() { ::pthread_mutex_unlock(mutex_); }
  CellLock(const CellLock&) = delete;
  CellLock& operator=(const CellLock&) = delete;

 private:
  pthread_mutex_t* mutex_;
};

const std::vector<std::string> kLocks = {"none", "mutex"};

class CounterWorkload : public Workload {
 public:
  CounterWorkload(std::size_t tasks, Duration pause, bool lock, bool shared)
      : tasks_(tasks), pause_(pause), lock_(lock), shared_(shared) {
    void* memory = nullptr;
    if (shared_) {
      memory = ::mmap(nullptr, sizeof(CounterCell), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
      if (memory == MAP_FAILED) {
        throw std::runtime_error(fmt::format("--shared: mmap failed: {}", ::strerror(errno)));
      }
    } else {
      memory = ::operator new(sizeof(CounterCell));
    }
    cell_ = new (memory) CounterCell;
    pthread_mutexattr_t attr;
    ::pthread_mutexattr_init(&attr);
    ::pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if (shared_) ::pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    ::pthread_mutex_init(&cell_->mutex, &attr);
    ::pthread_mutexattr_destroy(&attr);
  }

  ~CounterWorkload() override {
    ::pthread_mutex_destroy(&cell_->mutex);
    cell_->~CounterCell();
    if (shared_) {
      ::munmap(cell_, sizeof(CounterCell));
    } else {
      ::operator delete(cell_);
    }
  }
  CounterWorkload(const CounterWorkload&) = delete;
  CounterWorkload& operator=(const CounterWorkload&) = delete;

  std::string_view name() const override { return "counter"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return tasks_; }

  // Preemptive threads can be switched out anywhere between the read and the write: the pause
  // sits there, so every task running at once reads the same value. Under --lock mutex the
  // whole update, pause included, holds the lock.
  std::string run_blocking(std::size_t, std::stop_token stop) const override {
    std::optional<CellLock> lock;
    if (lock_) lock.emplace(cell_);
    long seen = cell_->value.load(std::memory_order_relaxed);
    SleepBlocking(pause_, stop);
    cell_->value.store(seen + 1, std::memory_order_relaxed);
    return Answer(seen);
  }

  // A coroutine is switched only at co_await: as in the tutorial's asyncio DbUpdate, it pauses
  // first, then reads and writes with no co_await between, so one loop thread loses nothing.
  // The lock is taken after the co_await and never held across one (a blocking mutex held
  // across a co_await would deadlock the loop's next task that wants it).
  boost::asio::awaitable<std::string> run_async(std::size_t, std::stop_token stop) const override {
    co_await SleepAsync(pause_, stop);
    std::optional<CellLock> lock;
    if (lock_) lock.emplace(cell_);
    long seen = cell_->value.load(std::memory_order_relaxed);
    cell_->value.store(seen + 1, std::memory_order_relaxed);
    co_return Answer(seen);
  }

  nlohmann::json python_form() const override {
    return {{"form", "counter"},
            {"tasks", tasks_},
            {"pause", std::chrono::duration<double>(pause_).count()},
            {"lock", lock_},
            {"shared", shared_}};
  }

  // The Python tasks updated the interpreter's counter: its final value stands for the cell's.
  void take_python_state(const nlohmann::json& state) const override {
    if (state.is_object() && state.contains("counter")) {
      cell_->value.store(state["counter"].get<long>());
    }
  }

  std::string check(std::size_t, const TaskRecord&) const override { return ""; }  // check_run

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned) const override {
    return CompletedFloorSeconds(
        records, lanes, [&](std::size_t) { return std::chrono::duration<double>(pause_).count(); });
  }

  nlohmann::json parameters() const override {
    return {{"tasks", tasks_},
            {"pause", FormatDuration(pause_)},
            {"lock", lock_ ? "mutex" : "none"},
            {"shared", shared_}};
  }

  // Forked workers update their copy of the counter (or, --shared, the one mapping); processes
  // of their own (mpi's ranks) would update counters the harness never sees.
  TaskNeeds needs() const override {
    TaskNeeds needs;
    needs.inherited_memory = "counter";
    return needs;
  }

  // Tasks run from now on update this worker's copy of the counter, unless it is --shared.
  void after_fork() const override { in_worker_process_ = true; }

  void begin_run() const override { cell_->value.store(0); }

  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    Tally tally = Count(records);
    return {{"expected", tally.expected},
            {"final", tally.final_value},
            {"lost_updates", tally.lost},
            {"outcome", tally.outcome}};
  }

  // Lost updates without a lock are the lesson; under --lock mutex they fail the run.
  std::string check_run(std::span<const TaskRecord> records) const override {
    if (!lock_) return "";
    Tally tally = Count(records);
    return tally.lost == 0 ? "" : "with --lock mutex the counter " + tally.outcome;
  }

 private:
  struct Tally {
    long expected = 0;  // completed tasks, each one update
    long final_value = 0;
    long lost = 0;
    std::string outcome;
  };

  // The run's updates, from its records and the counter it left.
  Tally Count(std::span<const TaskRecord> records) const {
    Tally tally;
    bool elsewhere = false;
    for (const TaskRecord& record : records) {
      if (record.status != TaskStatus::kOk) continue;
      ++tally.expected;
      elsewhere = elsewhere || record.result.find(kInWorker) != std::string::npos;
    }
    tally.final_value = cell_->value.load();
    tally.lost = tally.expected - tally.final_value;
    if (tally.lost == 0) {
      tally.outcome = fmt::format("kept all {} updates", tally.expected);
    } else if (elsewhere && !shared_) {
      tally.outcome = fmt::format(
          "stayed at {} in the harness: the tasks ran in worker processes, whose memory the "
          "harness does not "
          "share (--shared puts the counter in shared memory)",
          tally.final_value);
    } else {
      tally.outcome =
          fmt::format("lost {} of {} updates: tasks read the same value before others wrote",
                      tally.lost, tally.expected);
    }
    return tally;
  }

  std::string Answer(long seen) const {
    return fmt::format("read {}, wrote {}{}{}", seen, seen + 1,
                       in_worker_process_ ? kInWorker : " in process ", ::getpid());
  }

  static constexpr const char* kInWorker = " in worker process ";  // see after_fork

  std::size_t tasks_;
  Duration pause_;
  bool lock_;
  bool shared_;
  mutable bool in_worker_process_ = false;  // set by after_fork in a worker's copy only
  CounterCell* cell_ = nullptr;
};

}  // namespace

std::vector<ParamSpec> CounterParams() {
  return {
      {"tasks", ParamType::kCount, "10", "number of tasks"},
      {"pause", ParamType::kDuration, "10ms",
       "counter: each update's pause between reading and writing (asio: before reading)"},
      {"lock", ParamType::kChoice, "none", "counter: none, or a mutex around each update", kLocks},
      {"shared", ParamType::kFlag, "false",
       "counter: keep the counter in shared memory, so worker processes update the same one"},
  };
}

std::unique_ptr<Workload> MakeCounterWorkload(const Params& params) {
  std::uint64_t tasks = params.count("tasks");
  if (tasks > 100'000) throw ParamError("--tasks: at most 100000 for counter");
  return std::make_unique<CounterWorkload>(
      static_cast<std::size_t>(tasks), params.duration("pause"),
      params.choice("lock", kLocks) == "mutex", params.flag("shared"));
}

}  // namespace concbench
