#include "engines/thread.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <system_error>

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

// What one task thread runs, and where it writes its record.
struct ThreadTask {
  const Workload* workload;
  EngineRun* run;
  RunControl* control;
  std::size_t index;
  std::stop_token token;
};

void* RunThreadTask(void* argument) noexcept {
  auto& task = *static_cast<ThreadTask*>(argument);
  TaskRecord& record = task.run->records[task.index];
  RunTaskInto(record, *task.workload, task.index, task.token);
  if (record.status != TaskStatus::kNotRun) task.control->finished(record.status);
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
    // Our own source, so a refused thread can stop its siblings; it follows the run's.
    std::stop_source stop;
    std::stop_callback follow(control.token(), [&stop] { stop.request_stop(); });
    std::vector<ThreadTask> tasks;  // reserved: each thread keeps a pointer to its own
    tasks.reserve(run.records.size());
    std::vector<pthread_t> threads;
    threads.reserve(run.records.size());
    for (std::size_t i = 0; i < run.records.size() && !stop.stop_requested(); ++i) {
      tasks.push_back({&workload, &run, &control, i, stop.get_token()});
      try {
        threads.push_back(StartThread(tasks.back(), stack_bytes_));
      } catch (const std::system_error& e) {
        run.error = Refused(i, run.records.size(), e, threads.size());
        stop.request_stop();
      }
    }
    for (pthread_t thread : threads) ::pthread_join(thread, nullptr);
    return run;
  }
  nlohmann::json own_parameters() const override { return {{"stack_size_bytes", stack_bytes_}}; }

 private:
  // Why thread `index` (from 0) of `count` was not started, after `started` were.
  std::string Refused(std::size_t index, std::size_t count, const std::system_error& e,
                      std::size_t started) const {
    if (e.code().value() == EINVAL) {
      return fmt::format(
          "--stack-size {} bytes: too small for a thread of this program (its thread-local "
          "storage takes part of it); raise it",
          stack_bytes_);
    }
    return fmt::format(
        "the OS refused thread {} of {} ({}); {} threads were started, then stopped. "
        "Use the pool or asio engine for this many tasks.",
        index + 1, count, e.code().message(), started);
  }

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
