#include "workloads/file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "util/threads.hpp"
#include "workloads/payload.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

constexpr std::uint64_t kMaxSize = 1ull << 30;
constexpr std::size_t kChunk = 1 << 20;  // bytes per read or write call; stop is checked between

std::runtime_error SystemError(std::string_view what, const std::string& path) {
  return std::runtime_error(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

double ThreadCpuNow() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Creates a fresh folder under `parent`; returns its path, or "" with errno set.
std::string MakeTempFolder(const std::string& parent) {
  std::string path = parent + "/concbench-file-XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) return "";
  return path;
}

// Closes a file descriptor and removes its file when the task leaves, however it leaves.
class TaskFile {
 public:
  TaskFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  TaskFile(const TaskFile&) = delete;
  TaskFile& operator=(const TaskFile&) = delete;
  ~TaskFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_;
};

class FileWorkload : public Workload {
 public:
  // `folder` is made last, after the slow work (`pattern`), so that little can leave it behind.
  FileWorkload(std::size_t tasks, std::uint64_t size, std::string parent, bool fsync,
               std::string pattern, std::string folder)
      : tasks_(tasks),
        size_(size),
        parent_(std::move(parent)),
        fsync_(fsync),
        folder_(std::move(folder)),
        pattern_(std::move(pattern)),
        offload_cpu_(tasks, 0.0),
        offload_threads_(std::max(2u, std::thread::hardware_concurrency())) {}

  ~FileWorkload() override {
    offload_keep_.reset();
    offload_group_.Join();
    RemoveFolder();
  }

  std::string_view name() const override { return "file"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  bool wants_task_cpu() const override { return true; }  // the floor is the tasks' CPU time
  std::size_t task_count() const override { return tasks_; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    return WriteAndReadBack(index, stop);
  }

  // Blocking file calls would stall the loop: they run on the workload's pool while the
  // coroutine waits, and it resumes on its own executor.
  asio::awaitable<std::string> run_async(std::size_t index, std::stop_token stop) const override {
    StartOffload();
    offloaded_ = true;
    co_return co_await asio::co_spawn(offload_, Offloaded(index, std::move(stop)),
                                      asio::use_awaitable);
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    std::string expected = DescribePayload(size_, PayloadChecksum(pattern_, index));
    if (record.result == expected) return "";
    return fmt::format("task {}: read back '{}', wrote '{}'", index, record.result, expected);
  }

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    // Awaitable bodies have no CPU time of their own: their pool thread measured it.
    return CompletedFloorSeconds(records, std::min(lanes, cores), [&](std::size_t i) {
      return records[i].cpu_seconds ? *records[i].cpu_seconds : offload_cpu_[i];
    });
  }

  nlohmann::json parameters() const override {
    return {{"tasks", tasks_}, {"size", size_}, {"dir", parent_}, {"fsync", fsync_}};
  }

  // The same task in CPython (its file calls; asyncio.to_thread on a loop): it writes the
  // payload made of `pattern`, compares what it reads back byte for byte and answers the text
  // the C++ form would ("answers"). The folder is this run's (made by begin_run).
  nlohmann::json python_form() const override {
    nlohmann::json form = parameters();  // tasks, size, dir, fsync
    form.update({{"form", "file"},
                 {"folder", folder_},
                 {"pattern", pattern_},
                 {"answers", PayloadDescriptions(pattern_, tasks_)}});
    return form;
  }

  void take_python_state(const nlohmann::json& state) const override {
    if (state.is_object() && state.contains("io_threads")) {
      offloaded_ = true;
      python_io_threads_ = state["io_threads"].get<unsigned>();
    }
  }

  void begin_run() const override {
    StartOffload();
    std::fill(offload_cpu_.begin(), offload_cpu_.end(), 0.0);
    offloaded_ = false;
    python_io_threads_ = 0;
    if (!folder_.empty()) return;
    folder_ = MakeTempFolder(parent_);
    if (folder_.empty()) throw SystemError("cannot create a folder in", parent_);
  }

  nlohmann::json end_run(std::span<const TaskRecord>) const override {
    RemoveFolder();
    if (!offloaded_) return {{"io", "blocking"}};
    return {{"io", "thread_pool offload"},
            {"io_threads", python_io_threads_ > 0 ? python_io_threads_ : offload_threads_}};
  }

 private:
  // Starts the I/O pool's threads once; throws std::runtime_error naming the limit when the OS
  // refuses one (the threads started are stopped first).
  void StartOffload() const {
    std::lock_guard lock(offload_mutex_);
    if (offload_keep_) return;
    offload_.restart();
    offload_keep_.emplace(offload_.get_executor());
    std::string refused =
        offload_group_.Start(offload_threads_, [this](std::size_t) { offload_.run(); });
    if (refused.empty()) return;
    offload_keep_.reset();
    offload_.stop();
    offload_group_.Join();
    throw std::runtime_error("file: its I/O pool: " + refused);
  }

  asio::awaitable<std::string> Offloaded(std::size_t index, std::stop_token stop) const {
    double before = ThreadCpuNow();
    std::string answer = WriteAndReadBack(index, stop);
    offload_cpu_[index] = ThreadCpuNow() - before;
    co_return answer;
  }

  std::string WriteAndReadBack(std::size_t index, const std::stop_token& stop) const {
    std::string path = fmt::format("{}/task-{}", folder_, index);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw SystemError("cannot create", path);
    TaskFile file(path, fd);
    std::string stamp = PayloadStamp(index, size_);
    Write(file, stamp, 0, stop);
    Write(file, std::string_view(pattern_).substr(stamp.size()), stamp.size(), stop);
    if (fsync_ && ::fsync(fd) != 0) throw SystemError("fsync", path);
    Checksum sum;
    std::string buffer(static_cast<std::size_t>(std::min<std::uint64_t>(size_, kChunk)) + 1, '\0');
    std::uint64_t total = 0;
    while (true) {
      if (stop.stop_requested()) throw TaskCancelled();
      ssize_t n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(total));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("read", path);
      if (n == 0) break;
      sum.Update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      total += static_cast<std::uint64_t>(n);
    }
    return DescribePayload(total, sum.Value());
  }

  static void Write(const TaskFile& file, std::string_view bytes, std::uint64_t offset,
                    const std::stop_token& stop) {
    while (!bytes.empty()) {
      if (stop.stop_requested()) throw TaskCancelled();
      std::size_t chunk = std::min(bytes.size(), kChunk);
      ssize_t n = ::pwrite(file.fd(), bytes.data(), chunk, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw SystemError("write", file.path());
      bytes.remove_prefix(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
  }

  void RemoveFolder() const {
    if (folder_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
    folder_.clear();
  }

  std::size_t tasks_;
  std::uint64_t size_;
  std::string parent_;
  bool fsync_;
  mutable std::string folder_;  // this run's folder; empty between runs
  std::string pattern_;
  mutable std::vector<double> offload_cpu_;     // per task, written by the pool thread that ran it
  mutable std::atomic<bool> offloaded_{false};  // a task of this run ran on the pool
  unsigned offload_threads_;
  mutable unsigned python_io_threads_ = 0;  // the Python form's executor's, when it offloaded
  // The I/O pool: offload_threads_ threads running offload_ while offload_keep_ is set.
  mutable asio::io_context offload_;
  mutable std::mutex offload_mutex_;
  mutable std::optional<asio::executor_work_guard<asio::io_context::executor_type>> offload_keep_;
  mutable ThreadGroup offload_group_;
};

// The folder --dir names, or $TMPDIR, or /tmp.
std::string ParentFolder(const Params& params) {
  if (params.has("dir")) return params.text("dir");
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

}  // namespace

std::vector<ParamSpec> FileParams() {
  return {
      {"tasks", ParamType::kCount, "20", "number of tasks"},
      {"size", ParamType::kBytes, "65536",
       "bytes each task writes and reads back (units KiB, MiB, GiB)"},
      {"dir", ParamType::kText, "",
       "file: create the temporary folder here (default $TMPDIR or /tmp)"},
      {"fsync", ParamType::kFlag, "false", "file: fsync each file after writing it"},
  };
}

std::unique_ptr<Workload> MakeFileWorkload(const Params& params) {
  std::uint64_t tasks = params.count("tasks");
  if (tasks > 1'000'000) throw ParamError("--tasks: at most 1000000");
  std::uint64_t size = params.bytes("size");
  if (size > kMaxSize) throw ParamError("--size: at most 1GiB for file");
  std::string parent = ParentFolder(params);
  std::string where = params.has("dir") ? "--dir" : "--dir (default $TMPDIR or /tmp)";
  struct stat info {};
  if (::stat(parent.c_str(), &info) != 0) {
    throw ParamError(fmt::format("{}: '{}': {}", where, parent, std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) {
    throw ParamError(fmt::format("{}: '{}' is not a folder", where, parent));
  }
  std::string pattern = PayloadPattern(size);
  std::string folder = MakeTempFolder(parent);
  if (folder.empty()) {
    throw ParamError(
        fmt::format("{}: cannot create a folder in '{}': {}", where, parent, std::strerror(errno)));
  }
  return std::make_unique<FileWorkload>(static_cast<std::size_t>(tasks), size, std::move(parent),
                                        params.flag("fsync"), std::move(pattern),
                                        std::move(folder));
}

}  // namespace concbench
