#include "engines/process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>

#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>

#include <cerrno>
#include <optional>

#include "engines/pool.hpp"
#include "engines/process_worker.hpp"
#include "util/spawn.hpp"
#include "workloads/seeded_choice.hpp"

namespace concbench {
namespace {

// How long what a worker's task left in its process group has between SIGTERM and SIGKILL.
constexpr std::chrono::milliseconds kGroupGrace{500};

struct Worker {
  pid_t pid = -1;
  int fd = -1;                      // the parent's end of the socketpair
  std::optional<std::size_t> task;  // the task it is running, if any
  TaskRecord::Clock::time_point task_sent_at;
};

// The live workers of one run. Every worker it started is reaped by Reap() or the destructor.
class WorkerSet {
 public:
  // `stop_fd` is polled for stop requests; `stop_write_fd` is its other end, closed in workers.
  WorkerSet(const Workload& workload, int stop_fd, int stop_write_fd, SeededChoice crash)
      : workload_(workload), stop_fd_(stop_fd), stop_write_fd_(stop_write_fd), crash_(crash) {}
  WorkerSet(const WorkerSet&) = delete;
  WorkerSet& operator=(const WorkerSet&) = delete;
  ~WorkerSet() {
    for (Worker& worker : workers_) {
      if (worker.pid > 0) Reap(worker, /*kill_first=*/true);
    }
  }

  std::vector<Worker>& workers() { return workers_; }
  int stop_fd() const { return stop_fd_; }
  const ResourceUsage& usage() const { return usage_; }

  // Starts a worker in slot `slot` (appending when slot == size). Returns "" or the error.
  std::string Spawn(std::size_t slot) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      return fmt::format("socketpair failed: {}", ::strerror(errno));
    }
    workers_.reserve(slot + 1);  // no allocation may fail once the child exists
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
      int error = errno;
      ::close(fds[0]);
      ::close(fds[1]);
      return fmt::format("fork failed: {}", ::strerror(error));
    }
    if (pid == 0) {
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(1);
      ::close(fds[0]);
      ::close(stop_fd_);
      ::close(stop_write_fd_);
      for (Worker& other : workers_) {
        if (other.fd >= 0) ::close(other.fd);
      }
      WorkerMain(workload_, fds[1], crash_);
    }
    ::setpgid(pid, pid);  // as the child does: whichever runs first
    ::close(fds[1]);
    Worker worker{pid, fds[0], std::nullopt, {}};
    if (slot == workers_.size()) {
      workers_.push_back(worker);
    } else {
      workers_[slot] = worker;
    }
    return "";
  }

  // Closes the worker's socket (it exits on EOF), optionally ends it first with SIGTERM to its
  // process group (the worker and the commands its task started), waits for it, adds its
  // resource usage, ends what is left of its group, and returns how the worker ended.
  std::string Reap(Worker& worker, bool kill_first) {
    if (kill_first) ::kill(-worker.pid, SIGTERM);
    ::close(worker.fd);
    int status = 0;
    usage_ += WaitChild(worker.pid, status);
    EndProcessGroup(worker.pid, kGroupGrace);
    worker = Worker{};
    return DescribeExit(status);
  }

 private:
  const Workload& workload_;
  int stop_fd_;
  int stop_write_fd_;
  SeededChoice crash_;
  std::vector<Worker> workers_;
  ResourceUsage usage_;
};

class ProcessEngine : public Engine {
 public:
  ProcessEngine(unsigned workers, SeededChoice crash) : workers_(workers), crash_(crash) {}

  std::string_view name() const override { return "process"; }
  unsigned lanes(const Workload&) const override { return workers_; }
  bool shares_memory() const override { return false; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    std::stop_token stop = control.token();
    EngineRun run;
    run.records = take_records(workload);
    int stop_pipe[2];
    if (::pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      run.error = fmt::format("pipe failed: {}", ::strerror(errno));
      return run;
    }
    {
      std::stop_callback on_stop(stop, [fd = stop_pipe[1]] {
        char byte = 1;
        [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);
      });
      WorkerSet set(workload, stop_pipe[0], stop_pipe[1], crash_);
      Schedule(set, run, control);
      EndedBy ended_by = control.ended_by();
      for (Worker& worker : set.workers()) {
        if (worker.pid <= 0) continue;
        bool busy = worker.task.has_value();
        if (busy) {
          // A task in a worker process cannot be told to stop: its worker is killed at once.
          std::string why = "cancelled: worker process killed: " + run.error;
          if (stop.stop_requested()) why = "cancelled: worker process killed on stop";
          if (ended_by != EndedBy::kNone) {
            why = fmt::format("cancelled: worker process killed ({})", EndedByName(ended_by));
          }
          Cancel(run.records[*worker.task], worker, std::move(why));
        }
        set.Reap(worker, busy);
      }
      // The workers reaped the tasks' commands: their CPU is the commands', not the engine's.
      run.children = set.usage();
      for (const TaskRecord& record : run.records) {
        run.children.user_seconds -= record.commands.user_seconds;
        run.children.system_seconds -= record.commands.system_seconds;
      }
      run.children.user_seconds = std::max(0.0, run.children.user_seconds);
      run.children.system_seconds = std::max(0.0, run.children.system_seconds);
    }
    ::close(stop_pipe[0]);
    ::close(stop_pipe[1]);
    return run;
  }

  nlohmann::json own_parameters() const override {
    nlohmann::json params = {{"workers", workers_}};
    if (crash_.rate > 0) {
      params["crash_rate"] = crash_.rate;
      params["seed"] = crash_.seed;
    }
    return params;
  }

 private:
  // Hands out tasks in order until every task has a record, the engine fails, or stop.
  void Schedule(WorkerSet& set, EngineRun& run, RunControl& control) {
    std::stop_token stop = control.token();
    std::size_t total = run.records.size();
    std::size_t next = 0, done = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(workers_, total); ++i) {
      if (std::string error = set.Spawn(i); !error.empty()) {
        run.error =
            fmt::format("could start only {} of {} worker processes: {}", i, workers_, error);
        return;
      }
    }
    std::vector<pollfd> fds;
    while (done < total && !stop.stop_requested()) {
      fds.clear();
      for (Worker& worker : set.workers()) {
        if (worker.pid > 0 && !worker.task && next < total) {
          // A failed write means the worker died; poll reports it below.
          if (WriteAll(worker.fd, &next, sizeof next)) {
            worker.task = next++;
            worker.task_sent_at = TaskRecord::Clock::now();
          }
        }
        fds.push_back({worker.fd, POLLIN, 0});
      }
      fds.push_back({set.stop_fd(), POLLIN, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
        run.error = fmt::format("poll failed: {}", ::strerror(errno));
        return;
      }
      for (std::size_t slot = 0; slot < set.workers().size(); ++slot) {
        Worker& worker = set.workers()[slot];
        if (fds[slot].revents == 0 || worker.pid <= 0) continue;
        if (std::optional<std::size_t> task = worker.task; ReceiveRecord(worker, run)) {
          control.finished(run.records[*task].status);
          ++done;
          continue;
        }
        // The worker died: fail its task with the cause and start a replacement.
        std::optional<std::size_t> task = worker.task;
        auto sent_at = worker.task_sent_at;
        long pid = worker.pid;
        std::string cause = set.Reap(worker, /*kill_first=*/true);
        if (task) {
          TaskRecord& record = run.records[*task];
          record.status = TaskStatus::kFailed;
          record.result =
              fmt::format("worker process {} died mid-task: {}{}", pid, cause,
                          crash_.chosen(*task) ? " (crash injected by --crash-rate)" : "");
          record.start = sent_at;
          record.end = TaskRecord::Clock::now();
          record.worker = pid;
          control.finished(record.status);
          ++done;
        }
        if (next < total) {
          if (std::string error = set.Spawn(slot); !error.empty()) {
            run.error = "could not replace a worker process: " + error;
            return;
          }
        }
      }
    }
  }

  // Reads one record from a worker; false when the worker is gone.
  static bool ReceiveRecord(Worker& worker, EngineRun& run) {
    WireRecord wire{};
    if (!ReadAll(worker.fd, &wire, sizeof wire) || !worker.task || wire.index != *worker.task) {
      return false;
    }
    TaskRecord& record = run.records[wire.index];
    record.result.resize(wire.result_size);
    if (!ReadAll(worker.fd, record.result.data(), wire.result_size)) return false;
    record.status = static_cast<TaskStatus>(wire.status);
    record.start = FromNanos(wire.start_ns);
    record.end = FromNanos(wire.end_ns);
    if (wire.cpu_seconds >= 0) record.cpu_seconds = wire.cpu_seconds;
    record.worker = static_cast<long>(wire.worker);
    record.commands = wire.commands;
    worker.task.reset();
    return true;
  }

  static void Cancel(TaskRecord& record, const Worker& worker, std::string why) {
    record.status = TaskStatus::kCancelled;
    record.result = std::move(why);
    record.start = worker.task_sent_at;
    record.end = TaskRecord::Clock::now();
    record.worker = worker.pid;
  }

  unsigned workers_;
  SeededChoice crash_;
};

}  // namespace

std::vector<ParamSpec> ProcessParams() {
  return {
      WorkersParam(),
      {"crash-rate", ParamType::kRate, "0",
       "process: this share of tasks (chosen by --seed) kill their worker with SIGKILL as they "
       "start"},
      SeedParam(),
  };
}

std::unique_ptr<Engine> MakeProcessEngine(const Params& params) {
  SeededChoice crash{.salt = SeededChoice::kCrashSalt};
  if (params.has("crash-rate")) crash.rate = params.rate("crash-rate");
  if (params.has("seed")) crash.seed = params.whole("seed");
  return std::make_unique<ProcessEngine>(ReadWorkers(params), crash);
}

}  // namespace concbench
