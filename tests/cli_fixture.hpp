// A fixture that runs the real concbench binary (CONCBENCH_BINARY, or another in binary_) with its
// output in files.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace concbench::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// True when a live process's command line mentions `marker` (a path unique to this test).
inline bool AnyProcessMentions(const std::string& marker) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = ReadAll(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) != std::string::npos) return true;
  }
  return false;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("concbench-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts concbench with `args`, its output going to files in dir_, without $COLUMNS; `in_child`
  // runs in the child just before the program starts (to set limits or COLUMNS, for instance).
  pid_t Start(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int out = ::open((dir_ / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = ::open((dir_ / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::unsetenv("COLUMNS");  // the table's width and help's are the same wherever tests run
      if (in_child) in_child();
      std::vector<char*> argv = {const_cast<char*>(binary_)};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(binary_, argv.data());
      ::_exit(127);
    }
    return pid;
  }

  Outcome Wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    Outcome outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.out = ReadAll(dir_ / "out");
    outcome.err = ReadAll(dir_ / "err");
    return outcome;
  }

  Outcome Run(const std::vector<std::string>& args) { return Wait(Start(args)); }

  fs::path dir_;
  const char* binary_ = CONCBENCH_BINARY;  // the program Start runs
};

}  // namespace concbench::testing
