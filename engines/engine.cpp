#include "engines/engine.hpp"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace concbench {

long CurrentWorkerId() { return static_cast<long>(::syscall(SYS_gettid)); }

double ThreadCpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void RecordFailure(TaskRecord& record, std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const TaskCancelled& e) {
    record.status = TaskStatus::kCancelled;
    record.result = e.what();
  } catch (const std::exception& e) {
    record.status = TaskStatus::kFailed;
    record.result = e.what();
  } catch (...) {
    record.status = TaskStatus::kFailed;
    record.result = "unknown exception";
  }
}

TaskRecord RunTaskBlocking(const Workload& workload, std::size_t index, std::stop_token stop) {
  TaskRecord record;
  record.worker = CurrentWorkerId();
  if (stop.stop_requested()) {
    record.status = TaskStatus::kNotRun;
    return record;
  }
  double cpu_before = ThreadCpuSeconds();
  record.start = TaskRecord::Clock::now();
  try {
    record.result = workload.run_blocking(index, stop);
    record.status = TaskStatus::kOk;
  } catch (...) {
    RecordFailure(record, std::current_exception());
  }
  record.end = TaskRecord::Clock::now();
  record.cpu_seconds = ThreadCpuSeconds() - cpu_before;
  return record;
}

}  // namespace concbench
