#include "workloads/pycall.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <thread>

#include "util/pattern.hpp"
#include "workloads/exec_config.hpp"

namespace concbench {
namespace {

constexpr std::size_t kMaxTasks = 1'000'000;

struct PycallConfig {
  std::string module, function, path;
  nlohmann::json args = nlohmann::json::array();
  std::size_t tasks = 0;
  TaskKind kind = TaskKind::kCompute;
  std::optional<Pattern> expect_output;
  nlohmann::json parameters;
};

class PycallWorkload : public Workload {
 public:
  explicit PycallWorkload(PycallConfig config) : config_(std::move(config)) {}

  std::string_view name() const override { return "pycall"; }
  TaskKind kind() const override { return config_.kind; }
  std::size_t task_count() const override { return config_.tasks; }
  bool wants_task_cpu() const override { return config_.kind == TaskKind::kCompute; }

  TaskNeeds needs() const override {
    TaskNeeds needs;
    needs.python_only = true;
    return needs;
  }

  std::string run_blocking(std::size_t, std::stop_token) const override {
    throw std::logic_error("pycall runs on the Python engines only");  // refused by CannotRun
  }

  nlohmann::json python_form() const override {
    return {{"form", "function"},
            {"module", config_.module},
            {"function", config_.function},
            {"path", config_.path},
            {"args", config_.args},
            {"tasks", config_.tasks},
            {"kind", config_.kind == TaskKind::kWait ? "wait" : "compute"}};
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    if (!config_.expect_output || config_.expect_output->Search(record.result)) return "";
    return fmt::format("task {} answered '{}', which does not match --expect-output '{}'", index,
                       record.result, config_.expect_output->text());
  }

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    if (config_.kind == TaskKind::kWait) return 0;
    return CompletedFloorSeconds(records, std::min(lanes, cores),
                                 [&](std::size_t i) { return records[i].cpu_seconds.value_or(0); });
  }

  nlohmann::json parameters() const override { return config_.parameters; }

 private:
  PycallConfig config_;
};

// An --args value: JSON when it parses as JSON (a number, a list), else the text itself.
nlohmann::json Argument(const std::string& text) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  return value.is_discarded() ? nlohmann::json(text) : value;
}

}  // namespace

std::vector<ParamSpec> PycallParams() {
  return {
      {"call", ParamType::kText, "",
       "pycall: MODULE:FUNCTION, the Python function each task calls as FUNCTION(i, *args)"},
      {"path", ParamType::kText, "", "pycall: a folder put first on sys.path to import MODULE"},
      {"args", ParamType::kTextList, "",
       "pycall: an argument after the task's index (JSON when it parses: 42, [1, 2]; else text)"},
      {"tasks", ParamType::kCount, "10", "number of tasks"},
      {"kind",
       ParamType::kChoice,
       "compute",
       "exec, pycall: what bounds the tasks, for the floor: their CPU time (compute) or their "
       "lifetime (wait)",
       {"compute", "wait"}},
      {"expect-output", ParamType::kText, "",
       "exec: a regular expression (RE2) each command's output must contain; pycall: each "
       "answer"},
  };
}

std::unique_ptr<Workload> MakePycallWorkload(const Params& params) {
  PycallConfig config;
  std::string call = params.has("call") ? params.text("call") : "";
  std::size_t colon = call.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == call.size()) {
    throw ParamError(fmt::format(
        "--call: '{}' is not MODULE:FUNCTION (e.g. --call work:handle --path examples/python)",
        call));
  }
  config.module = call.substr(0, colon);
  config.function = call.substr(colon + 1);
  if (params.has("path")) config.path = params.text("path");
  for (const std::string& text : params.text_list("args")) config.args.push_back(Argument(text));
  std::uint64_t tasks = params.count("tasks");
  if (tasks > kMaxTasks) throw ParamError(fmt::format("--tasks: at most {}", kMaxTasks));
  config.tasks = static_cast<std::size_t>(tasks);
  config.kind =
      params.choice("kind", {"compute", "wait"}) == "wait" ? TaskKind::kWait : TaskKind::kCompute;
  nlohmann::json& json = config.parameters;
  json = {{"call", call}, {"tasks", tasks}, {"kind", params.text("kind")}, {"args", config.args}};
  if (!config.path.empty()) json["path"] = config.path;
  config.expect_output = ReadExpectOutput(params);
  if (config.expect_output) json["expect-output"] = config.expect_output->text();
  return std::make_unique<PycallWorkload>(std::move(config));
}

}  // namespace concbench
