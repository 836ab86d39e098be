#include "engines/python_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "util/os.hpp"
#include "util/spawn.hpp"

extern char** environ;

namespace concbench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool HoldsRunner(const fs::path& dir) {
  std::error_code error;
  return fs::is_regular_file(dir / "concbench_python" / "runner.py", error);
}

// The caller's environment with PYTHONPATH starting at `dir`, and no bytecode written into it.
std::vector<std::string> RunnerEnvironment(const std::string& dir) {
  std::vector<std::string> environment;
  std::string path = dir;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text = *entry;
    if (text.starts_with("PYTHONPATH=")) {
      if (text.size() > 11) path.append(":").append(text.substr(11));
    } else if (!text.starts_with("PYTHONDONTWRITEBYTECODE=")) {
      environment.emplace_back(text);
    }
  }
  environment.push_back("PYTHONPATH=" + path);
  environment.push_back("PYTHONDONTWRITEBYTECODE=1");
  return environment;
}

}  // namespace

std::string PythonDir() {
  if (const char* dir = std::getenv("CONCBENCH_PYTHON_DIR"); dir != nullptr && *dir != '\0') {
    return HoldsRunner(dir) ? dir : "";
  }
  std::error_code error;
  fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path installed = program.parent_path().parent_path() / "share" / "concbench" / "python";
    if (HoldsRunner(installed)) return installed.string();
  }
#ifdef CONCBENCH_PYTHON_SOURCE_DIR
  if (HoldsRunner(CONCBENCH_PYTHON_SOURCE_DIR)) return CONCBENCH_PYTHON_SOURCE_DIR;
#endif
  return "";
}

PythonProcess::PythonProcess(const std::string& python) {
  std::string dir = PythonDir();
  if (dir.empty()) {
    throw std::runtime_error(
        "the Python engines' runner (concbench_python) is not installed beside this program; "
        "set CONCBENCH_PYTHON_DIR to the folder that holds it");
  }
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) throw std::runtime_error(std::strerror(errno));
  if (::pipe2(from_child, O_CLOEXEC) != 0) {
    ::close(to_child[0]);
    ::close(to_child[1]);
    throw std::runtime_error(std::strerror(errno));
  }
  std::vector<std::string> environment = RunnerEnvironment(dir);
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  SpawnRequest request;
  request.argv = {python, "-m", "concbench_python.runner"};
  request.envp = envp.data();
  request.stdin_fd = to_child[0];
  request.stdout_fd = from_child[1];
  request.inherit_stderr = true;  // a traceback reaches the user
  std::string error;
  pid_ = Spawn(request, &error);
  ::close(to_child[0]);
  ::close(from_child[1]);
  in_ = to_child[1];
  out_ = from_child[0];
  if (pid_ < 0) {
    ::close(in_);
    ::close(out_);
    throw std::runtime_error(error);
  }
}

PythonProcess::~PythonProcess() {
  if (in_ >= 0) ::close(in_);
  if (!reaped_) {
    std::string error;
    int pidfd = OpenPidfd(pid_, &error);
    pollfd ended{pidfd, POLLIN, 0};
    if (pidfd < 0 || ::poll(&ended, 1, 1000) <= 0) SignalProcess(pid_, true, SIGKILL);
    if (pidfd >= 0) ::close(pidfd);
    WaitChild(pid_, status_);
  }
  EndProcessGroup(pid_, std::chrono::milliseconds(500));  // a pool's workers, if any are left
  ::close(out_);
}

bool PythonProcess::Send(std::string_view line) {
  std::string text(line);
  text.push_back('\n');
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::write(in_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

PythonProcess::Got PythonProcess::Receive(std::string* line, Clock::time_point deadline,
                                          const std::stop_token& stop) {
  int wake = ::eventfd(0, EFD_CLOEXEC);
  std::stop_callback on_stop(stop, [wake] {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake, &one, sizeof one);
  });
  Got got = Got::kLate;
  for (;;) {
    if (std::size_t newline = buffer_.find('\n'); newline != std::string::npos) {
      *line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      got = Got::kLine;
      break;
    }
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd fds[2] = {{out_, POLLIN, 0}, {wake, POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(std::min<long>(left, 60'000)));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if ((fds[1].revents & POLLIN) != 0) {
      got = Got::kStopped;
      break;
    }
    char chunk[65536];
    ssize_t read = ::read(out_, chunk, sizeof chunk);
    if (read < 0 && errno == EINTR) continue;
    if (read <= 0) {
      got = Got::kEnded;
      break;
    }
    buffer_.append(chunk, static_cast<std::size_t>(read));
  }
  if (wake >= 0) ::close(wake);
  return got;
}

void PythonProcess::Kill() { SignalProcess(pid_, true, SIGKILL); }

std::string PythonProcess::HowItEnded() {
  if (!reaped_) {
    WaitChild(pid_, status_);
    reaped_ = true;
  }
  return DescribeExit(status_);
}

}  // namespace concbench
