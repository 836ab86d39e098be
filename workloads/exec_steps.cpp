#include "workloads/exec_steps.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/os.hpp"
#include "util/spawn.hpp"

namespace concbench {

std::string_view StepOption(PointStep step) {
  switch (step) {
    case PointStep::kSetup:
      return "setup";
    case PointStep::kPrepare:
      return "prepare";
    case PointStep::kConclude:
      return "conclude";
    case PointStep::kCleanup:
      return "cleanup";
  }
  return "";
}

std::string RunStep(const ExecConfig& config, char* const* envp, PointStep step,
                    const std::stop_token& stop) {
  const std::string& command = config.steps[static_cast<std::size_t>(step)];
  if (command.empty()) return "";
  SpawnRequest request;
  request.argv = {"/bin/sh", "-c", command};
  request.envp = envp;
  request.cwd = config.cwd;
  if (config.show_output) {
    request.stdout_fd = STDOUT_FILENO;
    request.inherit_stderr = true;
  }
  std::string error;
  pid_t pid = Spawn(request, &error);
  if (pid >= 0) {
    ChildExit exit = AwaitChild(pid, true, stop, config.grace, &error);
    if (error.empty() && !exit.stopped &&
        !(WIFEXITED(exit.status) && WEXITSTATUS(exit.status) == 0)) {
      error = DescribeExit(exit.status);
      if (!config.show_output) error += " (--show-output shows its output)";
    }
  }
  if (error.empty()) return "";
  return fmt::format("--{} '{}': {}", StepOption(step), command, error);
}

}  // namespace concbench
