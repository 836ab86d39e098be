#include "results/context.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#ifndef CONCBENCH_VERSION
#define CONCBENCH_VERSION "unknown"
#endif
#ifndef CONCBENCH_GIT_COMMIT
#define CONCBENCH_GIT_COMMIT ""
#endif
#ifndef CONCBENCH_BUILD_TYPE
#define CONCBENCH_BUILD_TYPE "unknown"
#endif

namespace concbench {
namespace {

// The value of the first line of `path` that starts with `key`, after its separator.
std::string FindField(const char* path, std::string_view key, char separator) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    std::size_t at = line.find(separator);
    if (at == std::string::npos) continue;
    std::string value = line.substr(at + 1);
    value.erase(0, value.find_first_not_of(" \t\""));
    while (!value.empty() && (value.back() == '"' || value.back() == ' ')) value.pop_back();
    return value;
  }
  return "";
}

std::string Compiler() {
#if defined(__clang__)
  return fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

}  // namespace

Context CollectContext(int argc, const char* const* argv) {
  Context context;
  context.date =
      fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                  std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  utsname names{};
  if (::uname(&names) == 0) {
    context.host = names.nodename;
    context.kernel = fmt::format("{} {} {}", names.sysname, names.release, names.machine);
  }
  context.os = FindField("/etc/os-release", "PRETTY_NAME=", '=');
  context.cpu_model = FindField("/proc/cpuinfo", "model name", ':');
  context.logical_cpus = UsableCpus();
  context.compiler = Compiler();
  context.build_type = CONCBENCH_BUILD_TYPE;
  context.version = CONCBENCH_VERSION;
  context.git_commit = CONCBENCH_GIT_COMMIT;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) context.command_line += ' ';
    context.command_line += argv[i];
  }
  return context;
}

}  // namespace concbench
