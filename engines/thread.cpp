#include "engines/thread.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
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
pthread_t StartThread(ThreadTask& task, std::size_t stack_bytes) {
  pthread_attr_t attributes;
  if (int error = ::pthread_attr_init(&attributes); error != 0) {
    throw std::system_error(error, std::generic_category());
  }
  int error = ::pthread_attr_setstacksize(&attributes, stack_bytes);
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
// others, run()'s own share included: at 0 every thread started is known and may be joined.
struct GraphThreads {
  GraphThreads(const Workload& workload, EngineRun& engine_run, RunControl& run_control,
               std::stop_source& run_stop, std::size_t stack)
      : ready(*workload.graph()),
        run(engine_run),
        control(run_control),
        stop(run_stop),
        stack_bytes(stack),
        handles(engine_run.records.size()),
        started(engine_run.records.size()) {
    tasks.reserve(run.records.size());
    for (std::size_t i = 0; i < run.records.size(); ++i) {
      tasks.push_back({&workload, &run, &control, i, stop.get_token(), this});
    }
  }

  // Starts task `index`'s thread, unless the run is stopping. From any thread.
  void Start(std::size_t index) {
    if (stop.stop_requested()) return;
    live.fetch_add(1, std::memory_order_relaxed);
    try {
      handles[index] = StartThread(tasks[index], stack_bytes);
      started[index] = 1;
      count.fetch_add(1, std::memory_order_relaxed);
    } catch (const std::system_error& e) {
      std::lock_guard lock(error_mutex);
      if (run.error.empty()) {
        run.error = Refused(index, tasks.size(), e, count.load(), stack_bytes);
      }
      stop.request_stop();
      Leave();
    }
  }
  // One share of `live` ends.
  void Leave() {
    if (live.fetch_sub(1, std::memory_order_acq_rel) == 1) live.notify_all();
  }
  // Starts the tasks without inputs, waits until no thread can start another, joins them all.
  void Run() {
    for (std::size_t task : ready.initial()) Start(task);
    Leave();
    for (std::size_t left = live.load(); left != 0; left = live.load()) live.wait(left);
    for (std::size_t i = 0; i < handles.size(); ++i) {
      if (started[i] != 0) ::pthread_join(handles[i], nullptr);
    }
  }

  ReadyTasks ready;
  EngineRun& run;
  RunControl& control;
  std::stop_source& stop;
  std::size_t stack_bytes;
  std::vector<ThreadTask> tasks;   // one per task, each thread's argument
  std::vector<pthread_t> handles;  // written by the starting thread before it leaves
  std::vector<char> started;       // 1 where handles holds a thread to join
  std::atomic<std::size_t> live{1};
  std::atomic<std::size_t> count{0};  // threads started
  std::mutex error_mutex;
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
