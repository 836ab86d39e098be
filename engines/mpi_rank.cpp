#include "engines/mpi_rank.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string_view>
#include <thread>
#include <vector>

#include "engines/engine.hpp"
#include "engines/process_worker.hpp"

namespace concbench {
namespace {

// How long a rank sleeps between probes at most: during a run (its next task comes at once)
// and between runs (a run begins with kBegin, answered before rank 0 starts its clock).
constexpr std::chrono::microseconds kRunSleep{100};
constexpr std::chrono::microseconds kIdleSleep{2000};
// While a task runs, how often the rank probes for a stop; how long it waits for its task to stop
// on quit.
constexpr std::chrono::microseconds kTaskProbe{1000};
constexpr std::chrono::seconds kQuitGrace{1};

// A task's record and what its commands used, as a rank sends them.
struct RankRecord {
  TaskRecord record;
  ProcessUsage commands;
};

// Runs one task at a time on its own thread; the serving thread starts it and waits for it.
class TaskThread {
 public:
  TaskThread() : thread_([this](std::stop_token quit) { Loop(quit); }) {}

  // Starts task `index` of `workload`; none may be under way.
  void Start(const Workload& workload, std::size_t index) {
    std::lock_guard lock(mutex_);
    workload_ = &workload;
    index_ = index;
    stop_ = std::stop_source();
    record_.reset();
    started_ = true;
    wake_.notify_all();
  }

  // Asks the task under way to stop (TaskCancelled at its next waiting point).
  void RequestStop() {
    std::lock_guard lock(mutex_);
    stop_.request_stop();
  }

  // The task's record once it is done, waiting up to `wait` for it; nullopt while it runs.
  std::optional<RankRecord> Wait(std::chrono::microseconds wait) {
    std::unique_lock lock(mutex_);
    done_.wait_for(lock, wait, [this] { return record_.has_value(); });
    std::optional<RankRecord> record = std::move(record_);
    record_.reset();
    return record;
  }

 private:
  void Loop(std::stop_token quit) {
    std::unique_lock lock(mutex_);
    while (wake_.wait(lock, quit, [this] { return started_; })) {
      started_ = false;
      const Workload& workload = *workload_;
      std::size_t index = index_;
      std::stop_token stop = stop_.get_token();
      lock.unlock();
      RankRecord record;
      record.record = RunTaskBlocking(workload, index, stop, &record.commands);
      lock.lock();
      record_ = std::move(record);
      done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::condition_variable_any done_;
  const Workload* workload_ = nullptr;
  std::size_t index_ = 0;
  std::stop_source stop_;
  bool started_ = false;
  std::optional<RankRecord> record_;
  std::jthread thread_;  // last: it stops and joins before the members it reads go
};

class Server {
 public:
  // Serves until kQuit; returns the exit status.
  int Serve() {
    for (;;) {
      MpiMessage message = Next();
      const MpiHeader& header = message.header;
      switch (header.op) {
        case MpiOp::kPing:
          Pong();
          break;
        case MpiOp::kBegin:
          Begin(header.run, message.payload);
          break;
        case MpiOp::kTask:
          if (header.run == run_ && current_ != nullptr &&
              !RunTask(header.value, message.payload)) {
            return 0;
          }
          break;
        case MpiOp::kEnd:
          if (header.run == run_) SendUsage();
          in_run_ = false;
          break;
        case MpiOp::kQuit:
          return 0;
        default:  // a stop for a task already done, or an answer meant for rank 0
          break;
      }
    }
  }

 private:
  MpiMessage Next() {
    if (!inbox_.empty()) {
      MpiMessage message = std::move(inbox_.front());
      inbox_.pop_front();
      return message;
    }
    return *ReceiveMessage(0, in_run_ ? kRunSleep : kIdleSleep, [] { return false; });
  }

  void Pong() {
    auto now = std::chrono::steady_clock::now().time_since_epoch();
    SendMessage(0, {MpiOp::kPong, 0, 0, std::chrono::nanoseconds(now).count()});
  }

  // Makes (or finds) the run's workload from its recipe; a rank that cannot says why.
  void Begin(std::uint32_t run, const std::string& recipe) {
    run_ = run;
    current_ = nullptr;
    auto found = workloads_.find(recipe);
    if (found == workloads_.end()) {
      std::string error;
      std::unique_ptr<Workload> made = MakeFromRecipe(recipe, &error);
      if (!made) {
        SendMessage(0, {MpiOp::kError, run, 0, 0}, error);
        return;
      }
      found = workloads_.emplace(recipe, std::move(made)).first;
    }
    current_ = found->second.get();
    try {
      current_->begin_run();
    } catch (const std::exception& e) {
      current_ = nullptr;
      SendMessage(0, {MpiOp::kError, run, 0, 0}, e.what());
      return;
    }
    usage_at_begin_ = SelfUsage();
    in_run_ = true;
    SendMessage(0, {MpiOp::kReady, run, 0, 0});
  }

  // Runs task `index` and sends its record; false when rank 0 said quit meanwhile. In a graph
  // with data, `inputs` holds its inputs' outputs, put where the task reads them first.
  bool RunTask(std::uint64_t index, std::string_view inputs) {
    if (std::string why = PutInputs(index, inputs); !why.empty()) {
      SendMessage(0, {MpiOp::kError, run_, index, 0}, why);
      return true;
    }
    tasks_.Start(*current_, index);
    std::optional<std::chrono::steady_clock::time_point> quit_by;
    for (;;) {
      if (std::optional<RankRecord> record = tasks_.Wait(kTaskProbe)) {
        if (quit_by) return false;
        SendRecord(index, record->record, record->commands);
        return true;
      }
      if (quit_by && std::chrono::steady_clock::now() > *quit_by) {
        LeaveMpiWorld();
        ::_exit(0);  // the task would not stop: it ends with the process
      }
      // While the task runs, a stop or quit is taken at once and the rest kept for after it.
      while (std::optional<MpiMessage> message = ReceiveMessage(0, {}, [] { return true; })) {
        if (message->header.op == MpiOp::kStop && message->header.run == run_) {
          tasks_.RequestStop();
        } else if (message->header.op == MpiOp::kQuit) {
          tasks_.RequestStop();
          quit_by = std::chrono::steady_clock::now() + kQuitGrace;
        } else if (message->header.op == MpiOp::kPing) {
          Pong();
        } else {
          inbox_.push_back(std::move(*message));
        }
      }
    }
  }

  // "" once task `index`'s inputs hold `inputs`, their outputs in ascending order, or why not.
  std::string PutInputs(std::uint64_t index, std::string_view inputs) {
    const TaskGraph* graph = current_->graph();
    std::size_t size = graph != nullptr ? graph->output_size() : 0;
    std::size_t expected = size == 0 ? 0 : graph->input_count(index) * size;
    if (inputs.size() != expected) {
      return fmt::format("task {} came with {} bytes of its inputs' outputs, not {}", index,
                         inputs.size(), expected);
    }
    if (expected == 0) return "";
    graph->inputs(index, ranges_);
    for (const TaskRange& range : ranges_) {
      for (std::size_t input = range.first; input < range.first + range.count; ++input) {
        graph->put_output(input, inputs.substr(0, size));
        inputs.remove_prefix(size);
      }
    }
    return "";
  }

  // Sends a record; a graph's task that ended kOk sends its output after the result text.
  void SendRecord(std::uint64_t index, const TaskRecord& record, const ProcessUsage& commands) {
    WireRecord wire = ToWire(index, record, commands);
    std::string payload(sizeof wire, '\0');
    std::memcpy(payload.data(), &wire, sizeof wire);
    payload += record.result;
    const TaskGraph* graph = current_->graph();
    if (graph != nullptr && record.status == TaskStatus::kOk) graph->copy_output(index, payload);
    SendMessage(0, {MpiOp::kRecord, run_, index, 0}, payload);
  }

  // What this rank used since the run began (its peak RSS is the process's).
  void SendUsage() {
    ResourceUsage now = SelfUsage();
    ResourceUsage used;
    used.user_seconds = now.user_seconds - usage_at_begin_.user_seconds;
    used.system_seconds = now.system_seconds - usage_at_begin_.system_seconds;
    used.voluntary_switches = now.voluntary_switches - usage_at_begin_.voluntary_switches;
    used.involuntary_switches = now.involuntary_switches - usage_at_begin_.involuntary_switches;
    used.peak_rss_bytes = now.peak_rss_bytes;
    std::string payload(sizeof used, '\0');
    std::memcpy(payload.data(), &used, sizeof used);
    SendMessage(0, {MpiOp::kUsage, run_, 0, 0}, payload);
  }

  std::map<std::string, std::unique_ptr<Workload>> workloads_;  // by recipe
  const Workload* current_ = nullptr;  // the run's, or nullptr when it could not be made
  std::uint32_t run_ = 0;
  bool in_run_ = false;  // between kBegin and kEnd: probes more often
  ResourceUsage usage_at_begin_;
  std::deque<MpiMessage> inbox_;  // taken while a task ran, for after it
  std::vector<TaskRange> ranges_;
  TaskThread tasks_;  // after the workloads: it stops before they go
};

}  // namespace

int ServeRank(const MpiWorld& world) {
  int status = 0;
  try {
    Server server;
    status = server.Serve();
  } catch (const std::exception& e) {
    fmt::print(stderr, "concbench: rank {}: {}\n", world.rank, e.what());
    status = 1;
  }
  LeaveMpiWorld();
  return status;
}

int RunAsRank(int argc, char** argv, int (*command)(int argc, char** argv)) {
  const MpiWorld* world = nullptr;
  try {
    world = JoinMpiWorld(&argc, &argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "concbench: %s\n", e.what());
    return 1;
  }
  if (world->rank != 0) {
    // mpirun ends a job with SIGTERM: rank 0 then stops the ranks' tasks itself and says quit.
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::signal(signal, SIG_IGN);
    return ServeRank(*world);
  }
  int status = command(argc, argv);
  LeaveMpiWorld();
  return status;
}

}  // namespace concbench
