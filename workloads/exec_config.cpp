#include "workloads/exec_config.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "workloads/command_text.hpp"
#include "workloads/exec_steps.hpp"

extern char** environ;

namespace concbench {
namespace {

constexpr std::size_t kMaxTasks = 1'000'000;

// A NAME=VALUE pair of --var or --env; throws ParamError naming `option` when malformed.
std::pair<std::string, std::string> SplitPair(const std::string& text, std::string_view option,
                                              bool name_only) {
  std::size_t eq = text.find('=');
  std::string name = text.substr(0, eq);
  bool valid = eq != std::string::npos && !name.empty();
  if (valid && name_only) valid = PlaceholderNames("{" + name + "}").count(name) == 1;
  if (!valid) {
    throw ParamError(fmt::format("--{}: '{}' is not NAME=VALUE{}", option, text,
                                 name_only ? " with NAME made of letters, digits and _" : ""));
  }
  return {name, text.substr(eq + 1)};
}

// The command templates: --cmd, or the lines of --cmd-file (blank lines and # comments skipped).
std::vector<std::string> Templates(const Params& params) {
  if (params.has("cmd") == params.has("cmd-file")) {
    throw ParamError("--cmd: exec needs a command: --cmd 'COMMAND' or --cmd-file FILE");
  }
  if (params.has("cmd")) return {params.text("cmd")};
  const std::string& path = params.text("cmd-file");
  std::ifstream file(path);
  if (!file) throw ParamError(fmt::format("--cmd-file: cannot read '{}'", path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    if (line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  if (lines.empty()) throw ParamError(fmt::format("--cmd-file: '{}' has no command", path));
  return lines;
}

std::size_t TaskCount(const Params& params, std::size_t templates) {
  std::uint64_t tasks = templates;
  if (!params.has("cmd-file") || params.given("tasks")) tasks = params.count("tasks");
  if (tasks > kMaxTasks) throw ParamError(fmt::format("--tasks: at most {}", kMaxTasks));
  return static_cast<std::size_t>(tasks);
}

// `text` expanded for one task; throws ParamError naming `option`.
std::string Expand(const std::string& text, const std::map<std::string, std::string>& values,
                   std::string_view option) {
  std::string why;
  std::optional<std::string> expanded = ExpandPlaceholders(text, values, &why);
  if (!expanded) throw ParamError(fmt::format("--{}: {}", option, why));
  return *std::move(expanded);
}

std::vector<std::string> Words(const std::string& text, bool shell, std::string_view option) {
  if (shell) return {"/bin/sh", "-c", text};
  std::string why;
  std::optional<std::vector<std::string>> words = SplitWords(text, &why);
  if (!words) throw ParamError(fmt::format("--{}: {}", option, why));
  if (words->empty()) throw ParamError(fmt::format("--{}: the command is empty", option));
  return *std::move(words);
}

// The harness's environment with --env's pairs set.
std::vector<std::string> Environment(const std::vector<std::string>& pairs) {
  std::map<std::string, std::string> values;
  std::vector<std::string> order;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    std::size_t eq = text.find('=');
    if (eq == std::string::npos) continue;
    if (values.emplace(text.substr(0, eq), text.substr(eq + 1)).second) {
      order.push_back(text.substr(0, eq));
    }
  }
  for (const std::string& pair : pairs) {
    auto [name, value] = SplitPair(pair, "env", false);
    if (values.count(name) == 0) order.push_back(name);
    values[name] = value;
  }
  std::vector<std::string> environment;
  environment.reserve(order.size());
  for (const std::string& name : order) environment.push_back(name + "=" + values[name]);
  return environment;
}

// Fills each task's files from --stdin and --output, checking that they can be used.
void ReadFiles(const Params& params, std::vector<std::map<std::string, std::string>>& values,
               ExecConfig& config) {
  if (params.has("output") && config.tasks.size() > 1 &&
      PlaceholderNames(params.text("output")).count("i") == 0) {
    throw ParamError("--output: must contain {i}, so that each task keeps its own file");
  }
  for (std::size_t i = 0; i < config.tasks.size(); ++i) {
    ExecTask& task = config.tasks[i];
    if (params.has("stdin")) {
      task.stdin_path = Expand(params.text("stdin"), values[i], "stdin");
      if (::access(task.stdin_path.c_str(), R_OK) != 0) {
        throw ParamError(fmt::format("--stdin: cannot read '{}'", task.stdin_path));
      }
    }
    if (params.has("output")) {
      task.output_path = Expand(params.text("output"), values[i], "output");
      std::size_t slash = task.output_path.rfind('/');
      std::string dir = slash == std::string::npos ? "." : task.output_path.substr(0, slash + 1);
      if (::access(dir.c_str(), W_OK) != 0) {
        throw ParamError(fmt::format("--output: cannot write in '{}'", dir));
      }
    }
  }
}

// --expect-exit, or any with --ignore-failure (which conflicts with another --expect-exit).
ExitStatuses ReadExitStatuses(const Params& params) {
  std::string why;
  std::optional<ExitStatuses> statuses = ParseExitStatuses(params.text("expect-exit"), &why);
  if (!statuses) throw ParamError("--expect-exit: " + why);
  if (!params.flag("ignore-failure")) return *statuses;
  if (params.given("expect-exit") && !statuses->any) {
    throw ParamError(fmt::format(
        "--ignore-failure: conflicts with --expect-exit {} (it means --expect-exit any)",
        params.text("expect-exit")));
  }
  statuses->any = true;
  return *statuses;
}

}  // namespace

std::vector<ParamSpec> ExecParams() {
  return {
      {"cmd", ParamType::kText, "",
       "exec: the command each task runs; {i} is the task's index, {n} the task count, {NAME} a "
       "--var"},
      {"cmd-file", ParamType::kText, "",
       "exec: instead of --cmd, a file of commands, one per line, task i running line i (blank "
       "lines and # comments skipped)"},
      {"tasks", ParamType::kCount, "10", "number of tasks"},
      {"shell", ParamType::kFlag, "false",
       "exec: run each command with /bin/sh -c instead of splitting it into words"},
      {"var", ParamType::kTextList, "",
       "exec: NAME=VALUE, a placeholder {NAME} for the commands (--sweep NAME=... sweeps it)"},
      {"cwd", ParamType::kText, "", "exec: run the commands in this folder"},
      {"env", ParamType::kTextList, "", "exec: K=V, set in the commands' environment"},
      {"stdin", ParamType::kText, "", "exec: the commands' standard input (default /dev/null)"},
      {"output", ParamType::kText, "",
       "exec: keep each task's stdout and stderr in this file, named with {i} (default: "
       "discarded)"},
      {"show-output", ParamType::kFlag, "false",
       "exec: let the commands' stdout and stderr through to the terminal (no progress bar)"},
      {"expect-exit", ParamType::kText, "0",
       "exec: the exit statuses each command may end with: N, a list N,M,... or any"},
      {"ignore-failure", ParamType::kFlag, "false", "exec: the same as --expect-exit any"},
      {"setup", ParamType::kText, "",
       "exec: a command run once per point before its first run (warmups included), untimed"},
      {"prepare", ParamType::kText, "", "exec: a command run before each run, untimed"},
      {"conclude", ParamType::kText, "", "exec: a command run after each run, untimed"},
      {"cleanup", ParamType::kText, "",
       "exec: a command run once per point after its last run, untimed"},
      {"expect-output", ParamType::kText, "",
       "exec: a regular expression (RE2: Perl-like, without backreferences or lookaround; ^ and $ "
       "match at line ends) each command's output must contain"},
      {"kind",
       ParamType::kChoice,
       "compute",
       "exec: what bounds the commands, for the floor: their CPU time (compute) or their "
       "lifetime (wait)",
       {"compute", "wait"}},
      {"grace", ParamType::kDuration, "500ms",
       "exec: on a stop or --timeout, how long a command has between SIGTERM and SIGKILL"},
  };
}

std::optional<Pattern> ReadExpectOutput(const Params& params) {
  if (!params.has("expect-output")) return std::nullopt;
  std::string why;
  std::optional<Pattern> pattern = Pattern::Compile(params.text("expect-output"), &why);
  if (!pattern) {
    throw ParamError(fmt::format("--expect-output: '{}' is not a pattern RE2 accepts: {}",
                                 params.text("expect-output"), why));
  }
  return pattern;
}

ExecConfig ReadExecConfig(const Params& params) {
  ExecConfig config;
  nlohmann::json& json = config.parameters;
  std::vector<std::string> templates = Templates(params);
  bool shell = params.flag("shell");
  std::size_t count = TaskCount(params, templates.size());
  std::map<std::string, std::string> vars;
  for (const std::string& pair : params.text_list("var")) {
    auto [name, value] = SplitPair(pair, "var", true);
    if (name == "i" || name == "n") throw ParamError("--var: {i} and {n} are set by exec");
    vars[name] = value;
  }
  std::string option = params.has("cmd") ? "cmd" : "cmd-file";
  std::vector<std::map<std::string, std::string>> values(count, vars);
  config.tasks.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    values[i]["i"] = std::to_string(i);
    values[i]["n"] = std::to_string(count);
    const std::string& text = templates[i % templates.size()];
    config.tasks[i].argv = Words(Expand(text, values[i], option), shell, option);
  }
  ReadFiles(params, values, config);
  if (params.has("cwd")) {
    config.cwd = params.text("cwd");
    struct stat info {};
    if (::stat(config.cwd.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      throw ParamError(fmt::format("--cwd: '{}' is not a folder", config.cwd));
    }
  }
  config.environment = Environment(params.text_list("env"));
  config.expect_exit = ReadExitStatuses(params);
  config.expect_output = ReadExpectOutput(params);
  config.show_output = params.flag("show-output");
  for (const char* other : {"output", "expect-output"}) {
    if (config.show_output && params.has(other)) {
      throw ParamError(fmt::format(
          "--show-output: conflicts with --{}: the output goes to the terminal or is kept", other));
    }
  }
  vars["n"] = std::to_string(count);
  for (PointStep step :
       {PointStep::kSetup, PointStep::kPrepare, PointStep::kConclude, PointStep::kCleanup}) {
    std::string name(StepOption(step));
    if (!params.has(name)) continue;
    config.steps[static_cast<std::size_t>(step)] = Expand(params.text(name), vars, name);
    json[name] = params.text(name);
  }
  vars.erase("n");
  config.kind =
      params.choice("kind", {"compute", "wait"}) == "wait" ? TaskKind::kWait : TaskKind::kCompute;
  config.grace = params.duration("grace");
  json[option] = params.text(option);
  json["tasks"] = count;
  json["shell"] = shell;
  json["var"] = vars;
  json["env"] = params.text_list("env");
  for (const char* name : {"cwd", "stdin", "output", "expect-output"}) {
    if (params.has(name)) json[name] = params.text(name);
  }
  if (config.expect_exit.accepted.size() == 1 && !config.expect_exit.any) {
    json["expect-exit"] = config.expect_exit.accepted.front();  // a number, as it always was
  } else {
    json["expect-exit"] = config.expect_exit.Text();
  }
  if (config.show_output) json["show-output"] = true;  // absent otherwise, as in older files
  json["kind"] = params.raw("kind");
  json["grace"] = FormatDuration(config.grace);
  return config;
}

}  // namespace concbench
