// Long: rank 0's whole side of the protocol (begin, hand out, stop, end) beside the engine that
// drives it, so that one file shows every message rank 0 sends and takes.
#include "engines/mpi.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <sstream>

#include "engines/mpi_world.hpp"
#include "engines/process_worker.hpp"
#include "engines/ready_tasks.hpp"

namespace concbench {
namespace {

// How long rank 0 sleeps between probes at most while tasks run, and how long a rank has to
// answer a stop (then its task is recorded as cancelled without its answer) or the run's end.
constexpr std::chrono::microseconds kProbeSleep{1000};
constexpr std::chrono::milliseconds kStopGrace{500};
// How long the ranks have to make a run's workload (an http server to start, files to write).
constexpr std::chrono::seconds kReadyWait{60};

// Runs of every mpi engine in this process: a rank tells them apart by this number.
std::atomic<std::uint32_t> run_counter{0};

// One run: the ranks' tasks under way, the records, and the messages that fill them.
class RankRun {
 public:
  RankRun(const MpiWorld& world, std::uint32_t id, bool dynamic, const Workload& workload,
          EngineRun& run, RunControl& control)
      : world_(world), dynamic_(dynamic), run_(run), control_(control), id_(id) {
    busy_.resize(static_cast<std::size_t>(world.size));
    blocks_.resize(static_cast<std::size_t>(world.size));
    if (const TaskGraph* graph = workload.graph(); graph != nullptr) {
      graph_ = graph;
      ready_.emplace(*graph);
    }
  }

  // Hands out tasks until each has a record or the run stops (BeginOnRanks began it).
  void Run() {
    std::size_t total = run_.records.size();
    if (ready_) {
      for (std::size_t task : ready_->initial()) Queue(task);
    } else if (!dynamic_) {  // static: rank r's block, in order
      auto workers = static_cast<std::size_t>(world_.size - 1);
      for (std::size_t task = 0; task < total; ++task) {
        blocks_[1 + task * workers / std::max<std::size_t>(total, 1)].push_back(task);
      }
    }
    for (int rank = 1; rank < world_.size; ++rank) Dispatch(rank);
    while (done_ < total && run_.error.empty()) {
      std::optional<MpiMessage> message =
          ReceiveMessage(-1, kProbeSleep, [this] { return control_.stop_requested(); });
      if (!message) break;
      Take(*message);
    }
    StopTasks();
    EndOnRanks();
  }

 private:
  // A graph's task `task` is ready: dynamic, the next free rank's; static, its point's rank
  // (point p on rank 1 + p mod the ranks that run tasks).
  void Queue(std::size_t task) {
    if (dynamic_) {
      ready_queue_.push_back(task);
      return;
    }
    std::size_t step = 0;
    std::size_t point = task;
    graph_->place(task, &step, &point);
    blocks_[1 + point % static_cast<std::size_t>(world_.size - 1)].push_back(task);
  }

  // Sends `rank` its next task, if there is one, with its inputs' outputs in a graph that
  // carries data (the rank has no other way to read them).
  void Dispatch(int rank) {
    auto slot = static_cast<std::size_t>(rank);
    std::optional<std::size_t> task;
    if (dynamic_ && ready_ && !ready_queue_.empty()) {
      task = ready_queue_.front();
      ready_queue_.pop_front();
    } else if (dynamic_ && !ready_ && next_ < run_.records.size()) {
      task = next_++;
    } else if (!dynamic_ && !blocks_[slot].empty()) {
      task = blocks_[slot].front();
      blocks_[slot].pop_front();
    }
    if (!task) return;
    busy_[slot] = Busy{*task, TaskRecord::Clock::now()};
    SendMessage(rank, {MpiOp::kTask, id_, *task, 0}, InputsData(*task));
  }

  std::string InputsData(std::size_t task) {
    std::string data;
    if (graph_ == nullptr || graph_->output_size() == 0) return data;
    graph_->inputs(task, ranges_);
    for (const TaskRange& range : ranges_) {
      for (std::size_t input = range.first; input < range.first + range.count; ++input) {
        graph_->copy_output(input, data);
      }
    }
    return data;
  }

  // Takes one message of this run (those of earlier runs are late answers: dropped).
  void Take(const MpiMessage& message) {
    if (message.header.run != id_) return;
    auto slot = static_cast<std::size_t>(message.source);
    if (message.header.op == MpiOp::kError) {
      run_.error = fmt::format("rank {} on {}: {}", message.source, world_.ranks[slot].host,
                               message.payload);
    } else if (message.header.op == MpiOp::kRecord && busy_[slot] &&
               busy_[slot]->task == message.header.value) {
      Record(message);
      busy_[slot].reset();
      ++done_;
      if (ready_) {
        Settled(message.header.value);
      } else if (!control_.stop_requested()) {
        Dispatch(message.source);
      }
    } else if (message.header.op == MpiOp::kUsage) {
      ResourceUsage used;
      if (message.payload.size() == sizeof used) {
        std::memcpy(&used, message.payload.data(), sizeof used);
        run_.children += used;
      }
      ++usages_;
    }
  }

  void Record(const MpiMessage& message) {
    WireRecord wire{};
    if (message.payload.size() < sizeof wire) return;
    std::memcpy(&wire, message.payload.data(), sizeof wire);
    TaskRecord& record = run_.records[message.header.value];
    record.status = static_cast<TaskStatus>(wire.status);
    record.result = message.payload.substr(sizeof wire, wire.result_size);
    record.start = FromNanos(ToRankZeroClock(world_, message.source, wire.start_ns));
    record.end = FromNanos(ToRankZeroClock(world_, message.source, wire.end_ns));
    if (wire.cpu_seconds >= 0) record.cpu_seconds = wire.cpu_seconds;
    record.worker = message.source;
    if (!run_.commands.empty()) run_.commands[message.header.value] = wire.commands;
    if (graph_ != nullptr && record.status == TaskStatus::kOk) TakeOutput(message, wire);
    if (record.status != TaskStatus::kNotRun) control_.finished(record.status);
  }

  // A graph's task ended kOk: its output follows its result text, and becomes the task's output
  // here, for the tasks that wait for it.
  void TakeOutput(const MpiMessage& message, const WireRecord& wire) {
    std::size_t size = graph_->output_size();
    std::size_t at = sizeof wire + wire.result_size;
    TaskRecord& record = run_.records[message.header.value];
    if (message.payload.size() != at + size) {
      record.status = TaskStatus::kFailed;
      record.result =
          fmt::format("rank {} sent {} bytes of its output, not {}", message.source,
                      message.payload.size() - std::min(message.payload.size(), at), size);
      return;
    }
    graph_->put_output(message.header.value, std::string_view(message.payload).substr(at));
  }

  // A graph's task has its record: queues the tasks it made ready, counts those recorded not run
  // (an input failed) as done, and hands work to every rank that has none.
  void Settled(std::size_t task) {
    done_ +=
        Settle(*ready_, task, run_.records, control_, [this](std::size_t next) { Queue(next); });
    if (control_.stop_requested()) return;
    for (int rank = 1; rank < world_.size; ++rank) {
      if (!busy_[static_cast<std::size_t>(rank)]) Dispatch(rank);
    }
  }

  // Tells the ranks still running a task to stop it and waits kStopGrace for their records;
  // a task whose rank did not answer in time is recorded as cancelled.
  void StopTasks() {
    bool any = false;
    for (int rank = 1; rank < world_.size; ++rank) {
      if (!busy_[static_cast<std::size_t>(rank)]) continue;
      SendMessage(rank, {MpiOp::kStop, id_, 0, 0});
      any = true;
    }
    if (!any) return;
    AwaitAnswers([this] {
      return std::none_of(busy_.begin(), busy_.end(), [](const auto& b) { return b.has_value(); });
    });
    EndedBy ended_by = control_.ended_by();
    for (int rank = 1; rank < world_.size; ++rank) {
      std::optional<Busy>& busy = busy_[static_cast<std::size_t>(rank)];
      if (!busy) continue;
      TaskRecord& record = run_.records[busy->task];
      record.status = TaskStatus::kCancelled;
      record.result =
          fmt::format("cancelled{}: rank {} did not stop its task within {} ms",
                      ended_by == EndedBy::kNone ? "" : fmt::format(" ({})", EndedByName(ended_by)),
                      rank, kStopGrace.count());
      record.start = busy->sent_at;
      record.end = TaskRecord::Clock::now();
      record.worker = rank;
      busy.reset();
    }
  }

  // Ends the run on every rank and adds what each used (kUsage) to the run's children.
  void EndOnRanks() {
    for (int rank = 1; rank < world_.size; ++rank) SendMessage(rank, {MpiOp::kEnd, id_, 0, 0});
    AwaitAnswers([this] { return usages_ == world_.size - 1; });
    for (const ProcessUsage& commands : run_.commands) {  // the commands' CPU is reported apart
      run_.children.user_seconds -= commands.user_seconds;
      run_.children.system_seconds -= commands.system_seconds;
    }
    run_.children.user_seconds = std::max(0.0, run_.children.user_seconds);
    run_.children.system_seconds = std::max(0.0, run_.children.system_seconds);
  }

  // Takes messages until `answered()` or kStopGrace has passed.
  template <typename Answered>
  void AwaitAnswers(Answered answered) {
    auto give_up = std::chrono::steady_clock::now() + kStopGrace;
    while (!answered()) {
      std::optional<MpiMessage> message = ReceiveMessage(
          -1, kProbeSleep, [&] { return std::chrono::steady_clock::now() >= give_up; });
      if (!message) return;
      Take(*message);
    }
  }

  struct Busy {
    std::size_t task;
    TaskRecord::Clock::time_point sent_at;
  };

  const MpiWorld& world_;
  bool dynamic_;
  EngineRun& run_;
  RunControl& control_;
  std::uint32_t id_;
  std::vector<std::optional<Busy>> busy_;        // by rank: the task it runs
  std::vector<std::deque<std::size_t>> blocks_;  // static: by rank, the tasks left (or ready)
  std::size_t next_ = 0;                         // dynamic: the next task to hand out
  const TaskGraph* graph_ = nullptr;             // the workload's graph, if it has one
  std::optional<ReadyTasks> ready_;              // with a graph: its dependency counters
  std::deque<std::size_t> ready_queue_;          // with a graph, dynamic: the tasks ready
  std::vector<TaskRange> ranges_;
  std::size_t done_ = 0;
  int usages_ = 0;
};

// Begins run `id` on every rank: each makes the workload of `recipe` and answers kReady. Returns
// "" or why a rank cannot run it.
std::string BeginOnRanks(const MpiWorld& world, std::uint32_t id, const std::string& recipe) {
  for (int rank = 1; rank < world.size; ++rank) {
    SendMessage(rank, {MpiOp::kBegin, id, 0, 0}, recipe);
  }
  auto give_up = std::chrono::steady_clock::now() + kReadyWait;
  for (int ready = 1; ready < world.size;) {
    std::optional<MpiMessage> message = ReceiveMessage(
        -1, kProbeSleep, [&] { return std::chrono::steady_clock::now() >= give_up; });
    if (!message) {
      return fmt::format("mpi: {} of {} ranks were not ready after {} s", world.size - ready,
                         world.size - 1, kReadyWait.count());
    }
    if (message->header.run != id) continue;  // a late answer of an earlier run
    if (message->header.op == MpiOp::kError) {
      return fmt::format("rank {} on {}: {}", message->source,
                         world.ranks[static_cast<std::size_t>(message->source)].host,
                         message->payload);
    }
    if (message->header.op == MpiOp::kReady) ++ready;
  }
  return "";
}

class MpiEngine : public Engine {
 public:
  MpiEngine(unsigned ranks, bool dynamic, std::string mpirun_args)
      : ranks_(ranks), dynamic_(dynamic), mpirun_args_(std::move(mpirun_args)) {}

  std::string_view name() const override { return "mpi"; }
  unsigned lanes(const Workload&) const override {
    const MpiWorld* world = CurrentMpiWorld();
    int size = world != nullptr ? world->size : static_cast<int>(ranks_);
    return static_cast<unsigned>(std::max(size - 1, 1));
  }
  TaskMemory task_memory() const override { return TaskMemory::kSeparate; }

  void prepare_run(const Workload&) override {
    const MpiWorld* world = CurrentMpiWorld();
    prepared_ = 0;
    if (world == nullptr || world->size < 2 || recipe().workload.empty()) return;
    prepared_ = ++run_counter;
    try {
      prepare_error_ = BeginOnRanks(*world, prepared_, RecipeText(recipe()));
    } catch (const std::exception& e) {
      prepare_error_ = e.what();
    }
  }

  unsigned ranks() const { return ranks_; }
  const std::string& mpirun_args() const { return mpirun_args_; }

 protected:
  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    const MpiWorld* world = CurrentMpiWorld();
    int is_main = 0;
    if (world == nullptr || world->size < 2) {
      run.error =
          "mpi: no ranks to run tasks on: start concbench under mpirun with 2 ranks or more "
          "(mpirun -np 3 concbench run -e mpi ...), or give --ranks";
    } else if (MPI_Is_thread_main(&is_main) != MPI_SUCCESS || !is_main) {
      run.error = "mpi: only the thread that started MPI may run the mpi engine";
    } else if (recipe().workload.empty()) {
      run.error =
          fmt::format("mpi: {} was not made from a recipe the ranks can remake", workload.name());
    } else {
      if (prepared_ == 0) prepare_run(workload);  // run() called without the harness
      try {
        if (prepare_error_.empty()) {
          RankRun(*world, prepared_, dynamic_, workload, run, control).Run();
        } else {
          run.error = prepare_error_;
        }
      } catch (const std::exception& e) {
        run.error = e.what();
      }
    }
    prepared_ = 0;
    prepare_error_.clear();
    return run;
  }

  nlohmann::json own_parameters() const override {
    const MpiWorld* world = CurrentMpiWorld();
    nlohmann::json params = {
        {"ranks", world != nullptr ? static_cast<unsigned>(world->size) : ranks_},
        {"schedule", dynamic_ ? "dynamic" : "static"}};
    if (!mpirun_args_.empty()) params["mpirun_args"] = mpirun_args_;
    return params;
  }

 private:
  unsigned ranks_;
  bool dynamic_;
  std::string mpirun_args_;
  std::uint32_t prepared_ = 0;  // the run prepare_run() began on the ranks, or 0
  std::string prepare_error_;
};

}  // namespace

std::string MpiAbsence() { return ""; }

std::vector<ParamSpec> MpiParams() {
  return {
      {"ranks", ParamType::kCount, "",
       "mpi: start mpirun with this many ranks (rank 0 measures, the others run tasks); under "
       "mpirun, the number it started"},
      {"schedule",
       ParamType::kChoice,
       "dynamic",
       "mpi: hand each task to the next free rank (dynamic) or each rank a block (static)",
       {"dynamic", "static"}},
      {"mpirun-args", ParamType::kText, "",
       "mpi: options for the mpirun that --ranks starts, e.g. '--hostfile hosts' [default: "
       "--oversubscribe --bind-to none]"},
  };
}

std::unique_ptr<Engine> MakeMpiEngine(const Params& params) {
  unsigned ranks = 0;
  if (params.has("ranks")) {
    std::uint64_t wanted = params.count("ranks");
    if (wanted < 2 || wanted > 4096) {
      throw ParamError(fmt::format("--ranks: {} is not a number of ranks from 2 to 4096", wanted));
    }
    ranks = static_cast<unsigned>(wanted);
    const MpiWorld* world = CurrentMpiWorld();
    if (world != nullptr && world->size != static_cast<int>(ranks)) {
      throw ParamError(fmt::format("--ranks: {}, but mpirun started {} ranks", ranks, world->size));
    }
  }
  bool dynamic = params.choice("schedule", {"dynamic", "static"}) == "dynamic";
  std::string args = params.has("mpirun-args") ? params.text("mpirun-args") : "";
  return std::make_unique<MpiEngine>(ranks, dynamic, args);
}

std::optional<MpirunLaunch> MpirunLaunchFor(const Engine& engine) {
  const auto* mpi = dynamic_cast<const MpiEngine*>(&engine);
  if (mpi == nullptr || CurrentMpiWorld() != nullptr) return std::nullopt;
  MpirunLaunch launch{mpi->ranks(), {}};
  std::istringstream words(mpi->mpirun_args().empty() ? "--oversubscribe --bind-to none"
                                                      : mpi->mpirun_args());
  for (std::string word; words >> word;) launch.mpirun_args.push_back(word);
  return launch;
}

}  // namespace concbench
