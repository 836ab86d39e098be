#include "engines/thread.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <system_error>

#include "engines/ready_tasks.hpp"

namespace concbench {
namespace {

// Sanitizers' instrumented frames are several times larger: their builds start with more.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr const char* kDefaultStack = "1MiB";
#else
constexpr const char* kDefaultStack = "64KiB";
#endif

constexpr std::size_t kMaxStack = std::size_t{1} << 30;

// The smallest stack this platform's threads may have.
std::size_t MinStack() {
  long min = ::sysconf(_SC_THREAD_STACK_MIN);
  return min > 0 ? static_cast<std::size_t>(min) : static_cast<std::size_t>(PTHREAD_STACK_MIN);
}

struct GraphThreads;

// What one task thread runs, and where it writes its record.
struct ThreadTask {
  const Workload* workload;
  EngineRun* run;
  RunControl* control;
  std::size_t index;
  std::stop_token token;
  GraphThreads* graph = nullptr;  // a graph's run: starts the outputs this task made ready
};

void EndGraphTask(GraphThreads& graph, std::size_t index) noexcept;

void* RunThreadTask(void* argument) noexcept {
  auto& task = *static_cast<ThreadTask*>(argument);
  TaskRecord& record = task.run->records[task.index];
  RunTaskInto(record, *task.workload, task.index, task.token, CommandSlot(*task.run, task.index));
  if (record.status != TaskStatus::kNotRun) task.control->finished(record.status);
  if (task.graph != nullptr) EndGraphTask(*task.graph, task.index);
  return nullptr;
}

// Starts `task` on a new thread with a stack of `stack_bytes`; throws std::system_error with
// pthread_create's error (EAGAIN: the OS refused, e.g. at ulimit -u or out of memory).
// A `detached` thread is never joined: its resources go back to the OS as it ends.
pthread_t StartThread(ThreadTask& task, std::size_t stack_bytes, bool detached = false) {
  pthread_attr_t attributes;
  if (int error = ::pthread_attr_init(&attributes); error != 0) {
    throw std::system_error(error, std::generic_category());
  }
  int error = ::pthread_attr_setstacksize(&attributes, stack_bytes);
  if (error == 0 && detached) {
    error = ::pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  }
  pthread_t thread{};
  if (error == 0) error = ::pthread_create(&thread, &attributes, RunThreadTask, &task);
  ::pthread_attr_destroy(&attributes);
  if (error != 0) throw std::system_error(error, std::generic_category());
  return thread;
}

// Why thread `index` (from 0) of `count` was not started, after `started` were.
std::string Refused(std::size_t index, std::size_t count, const std::system_error& e,
                    std::size_t started, std::size_t stack_bytes) {
  if (e.code().value() == EINVAL) {
    return fmt::format(
        "--stack-size {} bytes: too small for a thread of this program (its thread-local "
        "storage takes part of it); raise it",
        stack_bytes);
  }
  return fmt::format(
      "the OS refused thread {} of {} ({}); {} threads were started, then stopped. "
      "Use the pool or asio engine for this many tasks.",
      index + 1, count, e.code().message(), started);
}

// A graph's run on threads: a task's thread is started by the thread that finished its last
// input (run() starts those without inputs). `live` counts the threads that may still start
// others, run()'s own share included; at 0 run() returns. The threads are detached, so that
// only the threads of tasks under way hold a stack (a stencil 1000 wide has about 1000 at a
// time, whatever its steps): joined, the ended ones would keep theirs until the end of the run.
struct GraphThreads {
  GraphThreads(const Workload& workload, EngineRun& engine_run, RunControl& run_control,
               std::stop_source& run_stop, std::size_t stack)
      : ready(*workload.graph()),
        run(engine_run),
        control(run_control),
        stop(run_stop),
        stack_bytes(stack) {
    tasks.reserve(run.records.size());
    for (std::size_t i = 0; i < run.records.size(); ++i) {
      tasks.push_back({&workload, &run, &control, i, stop.get_token(), this});
    }
  }

  // Starts task `index`'s thread, unless the run is stopping. From any thread.
  void Start(std::size_t index) {
    if (stop.stop_requested()) return;
    {
      std::lock_guard lock(mutex);
      ++live;
    }
    try {
      StartThread(tasks[index], stack_bytes, /*detached=*/true);
      count.fetch_add(1, std::memory_order_relaxed);
    } catch (const std::system_error& e) {
      {
        std::lock_guard lock(mutex);
        if (run.error.empty()) {
          run.error = Refused(index, tasks.size(), e, count.load(), stack_bytes);
        }
      }
      stop.request_stop();
      Leave();
    }
  }
  // One share of `live` ends; a task thread calls it last and touches nothing of the run after.
  void Leave() {
    std::lock_guard lock(mutex);
    --live;
    changed.notify_one();  // under the lock: Run() cannot go on before it is released
  }
  // Starts the tasks without inputs and waits until no thread can start another.
  void Run() {
    for (std::size_t task : ready.initial()) Start(task);
    Leave();
    std::unique_lock lock(mutex);
    changed.wait(lock, [this] { return live == 0; });
  }

  ReadyTasks ready;
  EngineRun& run;
  RunControl& control;
  std::stop_source& stop;
  std::size_t stack_bytes;
  std::vector<ThreadTask> tasks;  // one per task, each thread's argument
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t live = 1;               // under mutex
  std::atomic<std::size_t> count{0};  // threads started
};

void EndGraphTask(GraphThreads& graph, std::size_t index) noexcept {
  if (graph.run.records[index].status != TaskStatus::kNotRun) {
    Settle(graph.ready, index, graph.run.records, graph.control,
           [&graph](std::size_t next) { graph.Start(next); });
  }
  graph.Leave();
}

class ThreadEngine : public Engine {
 public:
  explicit ThreadEngine(std::size_t stack_bytes) : stack_bytes_(stack_bytes) {}

  std::string_view name() const override { return "thread"; }

  unsigned lanes(const Workload& workload) const override {
    return static_cast<unsigned>(workload.task_count());
  }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    // Our own source, so a refused thread can stop its siblings; it follows the run's.
    std::stop_source stop;
    std::stop_callback follow(control.token(), [&stop] { stop.request_stop(); });
    if (workload.graph() != nullptr) {
      GraphThreads(workload, run, control, stop, stack_bytes_).Run();
      return run;
    }
    std::vector<ThreadTask> tasks;  // reserved: each thread keeps a pointer to its own
    tasks.reserve(run.records.size());
    std::vector<pthread_t> threads;
    threads.reserve(run.records.size());
    for (std::size_t i = 0; i < run.records.size() && !stop.stop_requested(); ++i) {
      tasks.push_back({&workload, &run, &control, i, stop.get_token()});
      try {
        threads.push_back(StartThread(tasks.back(), stack_bytes_));
      } catch (const std::system_error& e) {
        run.error = Refused(i, run.records.size(), e, threads.size(), stack_bytes_);
        stop.request_stop();
      }
    }
    for (pthread_t thread : threads) ::pthread_join(thread, nullptr);
    return run;
  }
  nlohmann::json own_parameters() const override { return {{"stack_size_bytes", stack_bytes_}}; }

 private:
  std::size_t stack_bytes_;
};

}  // namespace

std::vector<ParamSpec> ThreadParams() {
  return {{"stack-size", ParamType::kBytes, kDefaultStack,
           "thread: each task thread's stack (units KiB, MiB); a workload whose tasks need more "
           "must raise it"}};
}

std::size_t ReadStackSize(const Params& params) {
  std::uint64_t bytes = params.bytes("stack-size");
  if (bytes < MinStack()) {
    throw ParamError(fmt::format(
        "--stack-size: at least {} bytes on this platform (PTHREAD_STACK_MIN)", MinStack()));
  }
  if (bytes > kMaxStack) throw ParamError("--stack-size: at most 1GiB");
  return static_cast<std::size_t>(bytes);
}

std::unique_ptr<Engine> MakeThreadEngine(const Params& params) {
  return std::make_unique<ThreadEngine>(ReadStackSize(params));
}

}  // namespace concbench
