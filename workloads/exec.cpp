#include "workloads/exec.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/spawn.hpp"
#include "workloads/exec_config.hpp"
#include "workloads/exec_steps.hpp"
#include "workloads/spawn_async.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

// How much of a command's output is read back: the last 4 KiB for its last line, and at most
// 16 MiB for --expect-output (the output's end, where a result is usually printed).
constexpr std::size_t kTailOutput = 4 << 10;
constexpr std::size_t kMaxCheckedOutput = 16 << 20;

// The last `most` bytes of the output kept in `path`. Only a regular file is read back: a device
// or a FIFO given as --output (/dev/full, /dev/null) has nothing to read, or no end.
std::string ReadOutput(const std::string& path, std::size_t most) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return "";
  struct stat st;
  std::string text;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    auto size = static_cast<std::size_t>(st.st_size);
    std::size_t from = size > most ? size - most : 0;
    text.resize(size - from);
    std::size_t done = 0;
    while (done < text.size()) {
      ssize_t got =
          ::pread(fd, text.data() + done, text.size() - done, static_cast<off_t>(from + done));
      if (got <= 0 && !(got < 0 && errno == EINTR)) break;
      if (got > 0) done += static_cast<std::size_t>(got);
    }
    text.resize(done);
  }
  ::close(fd);
  return text;
}

// The last non-empty line of `output`, shortened, as "; last output: ..." or "".
std::string LastLine(const std::string& output) {
  std::size_t end = output.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return "";
  std::size_t begin = output.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  std::string line = output.substr(begin, std::min<std::size_t>(end - begin + 1, 200));
  return "; last output: " + line;
}

// `bytes` as text whose code points are the bytes (Latin-1), which JSON carries whatever they are.
std::string Latin1(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      text.push_back(c);
    } else {
      text.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      text.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return text;
}

ProcessUsage CommandUsage(const ResourceUsage& usage) {
  return {usage.user_seconds, usage.system_seconds, usage.peak_rss_bytes, 1};
}

class ExecWorkload : public Workload {
 public:
  explicit ExecWorkload(ExecConfig config)
      : config_(std::move(config)), usage_(config_.tasks.size()) {
    envp_.reserve(config_.environment.size() + 1);
    for (std::string& entry : config_.environment) envp_.push_back(entry.data());
    envp_.push_back(nullptr);
    if (config_.expect_output && config_.tasks.front().output_path.empty()) {
      std::string pattern = (std::filesystem::temp_directory_path() / "concbench-exec-XXXXXX");
      if (::mkdtemp(pattern.data()) == nullptr) {
        throw ParamError("--expect-output: cannot create a temporary folder for the output");
      }
      scratch_ = pattern;
    }
    // Orphans of a command's group come to the harness, which reaps them.
    BecomeSubreaper();
  }
  ~ExecWorkload() override {
    std::error_code ignored;
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_, ignored);
  }
  ExecWorkload(const ExecWorkload&) = delete;
  ExecWorkload& operator=(const ExecWorkload&) = delete;

  std::string_view name() const override { return "exec"; }
  TaskKind kind() const override { return config_.kind; }
  std::size_t task_count() const override { return config_.tasks.size(); }
  // The command runs in its own process: neither form blocks a thread while it computes.
  bool blocks_thread(std::size_t) const override { return false; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    pid_t pid = Start(index);
    std::string error;
    ChildExit exit = AwaitChild(pid, group_, stop, config_.grace, &error);
    return Finish(index, exit, error);
  }

  asio::awaitable<std::string> run_async(std::size_t index, std::stop_token stop) const override {
    usage_[index] = {};
    pid_t pid = co_await SpawnAsync(Request(index), stop);
    ChildExit exit = co_await AwaitChildAsync(pid, group_, std::move(stop), config_.grace);
    co_return Finish(index, exit, "");
  }

  bool starts_commands() const override { return true; }
  ProcessUsage command_usage(std::size_t index) const override { return usage_[index]; }
  // What the engine collected, wherever the task ran: what check and the floor read.
  void take_command_usage(std::size_t index, const ProcessUsage& usage) const override {
    usage_[index] = usage;
  }

  std::string check(std::size_t index, const TaskRecord&) const override {
    if (usage_[index].processes != 1) {
      return fmt::format("task {} completed without its command being waited for", index);
    }
    if (!ran_in_python_ || !config_.expect_output) return "";
    std::string path = OutputPath(index);  // the Python form left it for this check
    std::string output = ReadOutput(path, kMaxCheckedOutput);
    if (!scratch_.empty()) ::unlink(path.c_str());
    if (config_.expect_output->Search(output)) return "";
    return fmt::format("task {}: its output does not match --expect-output '{}'{}", index,
                       config_.expect_output->text(), LastLine(output));
  }

  // The same commands from CPython (python/concbench_python/tasks.py: Exec). Bytes travel as
  // Latin-1 text, so a word that is not UTF-8 reaches the command unchanged; --expect-output is
  // matched here, by check (RE2), since the interpreter has no RE2.
  nlohmann::json python_form() const override {
    nlohmann::json tasks = nlohmann::json::array();
    for (std::size_t i = 0; i < config_.tasks.size(); ++i) {
      const ExecTask& task = config_.tasks[i];
      nlohmann::json argv = nlohmann::json::array();
      for (const std::string& word : task.argv) argv.push_back(Latin1(word));
      tasks.push_back({{"argv", std::move(argv)},
                       {"stdin", Latin1(task.stdin_path)},
                       {"output", Latin1(OutputPath(i))}});
    }
    nlohmann::json environment = nlohmann::json::array();
    for (const std::string& entry : config_.environment) environment.push_back(Latin1(entry));
    return {{"form", "exec"},
            {"tasks", std::move(tasks)},
            {"cwd", Latin1(config_.cwd)},
            {"environment", std::move(environment)},
            {"expect_exit", config_.expect_exit.any ? nlohmann::json(nullptr)
                                                    : nlohmann::json(config_.expect_exit.accepted)},
            {"show_output", config_.show_output},
            {"grace", std::chrono::duration<double>(config_.grace).count()},
            {"kind", config_.kind == TaskKind::kWait ? "wait" : "compute"}};
  }
  void take_python_state(const nlohmann::json&) const override { ran_in_python_ = true; }
  void begin_run() const override {
    ran_in_python_ = false;
    std::fill(usage_.begin(), usage_.end(), ProcessUsage{});  // a task that does not run: zeros
  }
  std::string at_point_step(PointStep step, std::stop_token stop) const override {
    return RunStep(config_, envp_.data(), step, stop);
  }

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    std::vector<double> work;
    work.reserve(records.size());
    double cpu = 0;
    for (std::size_t i = 0; i < records.size() && i < usage_.size(); ++i) {
      const TaskRecord& record = records[i];
      if (record.status != TaskStatus::kOk) continue;
      double used = usage_[i].user_seconds + usage_[i].system_seconds;
      cpu += used;
      // A command computing on several cores at once (a pipeline) takes less than its CPU time.
      work.push_back(config_.kind == TaskKind::kWait ? record.seconds()
                                                     : std::min(used, record.seconds()));
    }
    if (config_.kind == TaskKind::kWait) return FloorSeconds(work, lanes);
    return std::max(FloorSeconds(work, std::min(lanes, cores)), cpu / std::max(1u, cores));
  }

  nlohmann::json parameters() const override { return config_.parameters; }

  // In a worker process, commands join the worker's process group, which the engine ends.
  void after_fork() const override { group_ = false; }

 private:
  std::string OutputPath(std::size_t index) const {
    if (scratch_.empty()) return config_.tasks[index].output_path;
    return fmt::format("{}/{}.out", scratch_, index);
  }

  // What starts task `index`'s command.
  SpawnRequest Request(std::size_t index) const {
    const ExecTask& task = config_.tasks[index];
    SpawnRequest request{task.argv,       envp_.data(),      config_.cwd,
                         task.stdin_path, OutputPath(index), group_};
    if (config_.show_output) {
      request.stdout_fd = STDOUT_FILENO;
      request.inherit_stderr = true;
    }
    return request;
  }

  // Starts task `index`'s command; throws with the reason when it cannot start.
  pid_t Start(std::size_t index) const {
    usage_[index] = {};
    std::string error;
    pid_t pid = Spawn(Request(index), &error);
    if (pid < 0) throw std::runtime_error(error);
    return pid;
  }

  // Records how the command ended and returns the task's answer; throws when it was stopped,
  // could not be watched, or ended other than expected.
  std::string Finish(std::size_t index, const ChildExit& exit, const std::string& error) const {
    usage_[index] = CommandUsage(exit.usage);
    std::string output;
    std::string path = OutputPath(index);
    if (!path.empty() && (config_.expect_output || exit.status != 0)) {
      output = ReadOutput(path, config_.expect_output ? kMaxCheckedOutput : kTailOutput);
    }
    if (!scratch_.empty()) ::unlink(path.c_str());
    if (!error.empty()) throw std::runtime_error(error);
    if (exit.stopped) throw TaskCancelled();
    if (!config_.expect_exit.Accepts(exit.status)) {
      throw std::runtime_error(fmt::format("{}, expected {}{}", DescribeExit(exit.status),
                                           config_.expect_exit.Words(), LastLine(output)));
    }
    if (config_.expect_output && !config_.expect_output->Search(output)) {
      throw std::runtime_error(fmt::format("its output does not match --expect-output '{}'{}",
                                           config_.expect_output->text(), LastLine(output)));
    }
    return WIFEXITED(exit.status) ? fmt::format("exit {}", WEXITSTATUS(exit.status))
                                  : DescribeExit(exit.status);
  }

  ExecConfig config_;
  std::vector<char*> envp_;
  std::string scratch_;                      // a temporary folder for output checked but not kept
  mutable std::vector<ProcessUsage> usage_;  // per task, written by the task that ran it
  mutable bool group_ = true;                // commands lead their own process groups
  mutable bool ran_in_python_ = false;       // the last run was the Python form's
};

}  // namespace

std::unique_ptr<Workload> MakeExecWorkload(const Params& params) {
  return std::make_unique<ExecWorkload>(ReadExecConfig(params));
}

}  // namespace concbench
