// One CPython interpreter running concbench's runner (python/concbench_python/runner.py),
// spoken to in lines of JSON over pipes. It leads its own process group, so that ending it
// ends the worker processes it started too.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace concbench {

// The folder that holds the concbench_python package: $CONCBENCH_PYTHON_DIR, else
// share/concbench/python beside the running program's bin/ (an installed concbench), else the
// source tree's python/ this program was built from. "" when none holds it.
std::string PythonDir();

class PythonProcess {
 public:
  // Starts `python -m concbench_python.runner`; throws std::runtime_error saying why it could
  // not (no such interpreter, no runner).
  explicit PythonProcess(const std::string& python);
  // Ends it: closes its input (the runner then exits), waits up to a second, then kills its
  // process group; reaps it.
  ~PythonProcess();
  PythonProcess(const PythonProcess&) = delete;
  PythonProcess& operator=(const PythonProcess&) = delete;

  // Writes `line` and a newline to its input; false when it has gone.
  bool Send(std::string_view line);

  enum class Got { kLine, kEnded, kStopped, kLate };
  // Reads its next line of output into *line: kLine; kEnded at the end of its output (it
  // ended or closed it); kStopped when `stop` is requested first; kLate at `deadline`.
  Got Receive(std::string* line, std::chrono::steady_clock::time_point deadline,
              const std::stop_token& stop = {});

  // Kills its process group at once (a run that must end now).
  void Kill();

  // How it ended, once its output has ended: "exited with status 1", "killed by signal 9
  // (Killed)"; it is reaped.
  std::string HowItEnded();

 private:
  pid_t pid_ = -1;
  int in_ = -1;   // its standard input
  int out_ = -1;  // its standard output
  std::string buffer_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace concbench
