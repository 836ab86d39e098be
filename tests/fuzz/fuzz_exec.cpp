// exec's command text, placeholders, --var and --expect-output, read by ReadExecConfig (which
// starts nothing). The input's lines: the command, then --var pairs up to a line "--", then the
// pattern, then the text it is matched against. A bad value must come back as a ParamError that
// names its option; a config that reads has a command for every task, and its pattern matches
// any text in time linear in it (a backtracking engine would time out here).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "concbench/params.hpp"
#include "workloads/exec_config.hpp"

namespace {

// The next line of `text` from `at`, which moves past it.
std::string_view NextLine(std::string_view text, std::size_t& at) {
  if (at > text.size()) return {};
  std::size_t end = text.find('\n', at);
  if (end == text.npos) end = text.size();
  std::string_view line = text.substr(at, end - at);
  at = end + 1;
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t at = 0;
  concbench::Params params;
  params.set("cmd", std::string(NextLine(text, at)));
  params.set("tasks", "3", false);
  params.set("expect-exit", "0", false);
  params.set("kind", "compute", false);
  params.set("grace", "500ms", false);
  if (!text.empty() && (text[0] & 1) != 0) params.set("shell", "true");
  std::string vars;
  for (std::string_view line = NextLine(text, at); at <= text.size() && line != "--";
       line = NextLine(text, at)) {
    vars.append(line).push_back('\n');
  }
  if (!vars.empty()) params.set("var", vars);
  std::string_view pattern = NextLine(text, at);
  if (!pattern.empty()) params.set("expect-output", std::string(pattern));
  std::string_view output = at <= text.size() ? text.substr(at) : std::string_view();
  try {
    concbench::ExecConfig config = concbench::ReadExecConfig(params);
    if (config.tasks.size() != 3) __builtin_trap();
    for (const concbench::ExecTask& task : config.tasks) {
      if (task.argv.empty()) __builtin_trap();
    }
    if (config.expect_output) config.expect_output->Search(output);
  } catch (const concbench::ParamError& e) {
    if (std::string_view(e.what()).substr(0, 2) != "--") __builtin_trap();  // names its option
  }
  return 0;
}
