#include "engines/python.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "engines/pool.hpp"
#include "engines/python_process.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartWait{60};         // an interpreter's start on a busy machine
constexpr std::chrono::milliseconds kStopGrace{1000};  // from "stop" to the records

struct ModelInfo {
  PythonModel model;
  std::string_view name;  // the runner's
  bool pool;              // takes --workers
};

constexpr ModelInfo kModels[] = {
    {PythonModel::kSequential, "sequential", false},
    {PythonModel::kThread, "thread", false},
    {PythonModel::kPool, "pool", true},
    {PythonModel::kProcess, "process", true},
    {PythonModel::kAsyncio, "asyncio", false},
    {PythonModel::kUvloop, "uvloop", false},
};

const ModelInfo& Info(PythonModel model) {
  return *std::find_if(std::begin(kModels), std::end(kModels),
                       [&](const ModelInfo& info) { return info.model == model; });
}

bool IsLoop(PythonModel model) {
  return model == PythonModel::kAsyncio || model == PythonModel::kUvloop;
}

TaskStatus StatusOf(const std::string& text) {
  if (text == "ok") return TaskStatus::kOk;
  if (text == "failed") return TaskStatus::kFailed;
  if (text == "cancelled") return TaskStatus::kCancelled;
  return TaskStatus::kNotRun;
}

// Asks the runner one question (a request with "probe" or "check") and returns its answer;
// {"error": why} when the interpreter cannot answer.
nlohmann::json Ask(const std::string& python, const nlohmann::json& request) {
  try {
    PythonProcess process(python);
    std::string line;
    process.Send(DumpJson(request));
    if (process.Receive(&line, Clock::now() + kStartWait) != PythonProcess::Got::kLine) {
      return {{"error", fmt::format("{} did not answer the runner's questions ({})", python,
                                    process.HowItEnded())}};
    }
    return nlohmann::json::parse(line);
  } catch (const std::exception& e) {
    return {{"error", e.what()}};
  }
}

class PythonEngine : public Engine {
 public:
  PythonEngine(PythonModel model, std::string python, unsigned workers, bool offload,
               nlohmann::json interpreter)
      : model_(model),
        python_(std::move(python)),
        workers_(workers),
        offload_(offload),
        interpreter_(std::move(interpreter)),
        name_(fmt::format("py-{}", Info(model).name)) {}

  std::string_view name() const override { return name_; }
  std::string_view language() const override { return "Python"; }
  // The tasks share the interpreter's memory (its state comes back to the workload after the
  // run: take_python_state), or, on py-process, a forked worker's copy of it.
  TaskMemory task_memory() const override {
    return model_ == PythonModel::kProcess ? TaskMemory::kForkedCopy : TaskMemory::kShared;
  }

  unsigned lanes(const Workload& workload) const override {
    auto all = static_cast<unsigned>(workload.task_count());
    switch (model_) {
      case PythonModel::kSequential:
        return 1;
      case PythonModel::kThread:
        return all;
      case PythonModel::kPool:
      case PythonModel::kProcess:
        return workers_;
      default:
        return workload.kind() == TaskKind::kWait ? all : (offload_ ? workers_ : 1);
    }
  }

  std::string refuses(const Workload& workload) const override {
    nlohmann::json form = workload.python_form();
    if (form.is_null()) {
      return "it has no Python form as made (the Python engines run sleep, blocking, primes, "
             "spin, counter, queue, http, file, exec and pycall, without --fail-rate)";
    }
    nlohmann::json answer = Ask(python_, Request(std::move(form), true));
    return answer.contains("error") ? answer["error"].get<std::string>() : "";
  }

 protected:
  void prepare_run(const Workload& workload) override {
    process_.reset();  // the previous run's interpreter, ended and reaped
    task_cpu_ = workload.wants_task_cpu();
    Clock::time_point started = Clock::now();
    prepare_error_.clear();
    try {
      process_ = std::make_unique<PythonProcess>(python_);
    } catch (const std::exception& e) {
      prepare_error_ = fmt::format("{}: {}", name_, e.what());
      return;
    }
    std::string line;
    process_->Send(DumpJson(Request(workload.python_form(), false)));
    PythonProcess::Got got = process_->Receive(&line, Clock::now() + kStartWait);
    nlohmann::json ready = got == PythonProcess::Got::kLine
                               ? nlohmann::json::parse(line, nullptr, false)
                               : nlohmann::json();
    if (!ready.is_object() || !ready.contains("ready")) {
      prepare_error_ = ready.is_object() && ready.contains("error")
                           ? ready["error"].get<std::string>()
                           : fmt::format("{}: the interpreter did not get ready ({})", name_,
                                         got == PythonProcess::Got::kLine ? "it said: " + line
                                                                          : process_->HowItEnded());
      process_.reset();
      return;
    }
    ready_usage_ = ready.value("usage", nlohmann::json::array({0, 0, 0}));
    startup_seconds_ = std::chrono::duration<double>(Clock::now() - started).count();
  }

  EngineRun run_tasks(const Workload& workload, RunControl& control) override {
    EngineRun run;
    run.records = take_records(workload);
    run.commands = CommandSlots(workload);
    if (!prepare_error_.empty() || !process_) {
      run.error = prepare_error_.empty() ? name_ + ": not prepared" : prepare_error_;
      return run;
    }
    process_->Send("go");
    std::string line;
    PythonProcess::Got got = process_->Receive(&line, Clock::time_point::max(), control.token());
    if (got == PythonProcess::Got::kStopped) {
      process_->Send("stop");
      got = process_->Receive(&line, Clock::now() + kStopGrace);
    }
    nlohmann::json answer = got == PythonProcess::Got::kLine
                                ? nlohmann::json::parse(line, nullptr, false)
                                : nlohmann::json();
    if (!answer.is_object() || !answer.contains("records")) {
      if (got == PythonProcess::Got::kLate) process_->Kill();
      std::string why = got == PythonProcess::Got::kLate
                            ? fmt::format(
                                  "a task did not return within {} s of the stop, so the "
                                  "interpreter was ended",
                                  kStopGrace.count() / 1000.0)
                            : "the Python interpreter " + process_->HowItEnded();
      for (TaskRecord& record : run.records) {
        if (record.status != TaskStatus::kNotRun) continue;
        record.status = control.stop_requested() ? TaskStatus::kCancelled : TaskStatus::kFailed;
        record.result = why;
      }
      if (!control.stop_requested()) run.error = fmt::format("{}: {}", name_, why);
      return run;
    }
    Fill(answer, run, control);
    run.metrics["interpreter_startup_s"] = startup_seconds_;
    workload.take_python_state(answer.value("state", nlohmann::json()));
    return run;
  }

  nlohmann::json own_parameters() const override {
    nlohmann::json params = interpreter_;
    if (Info(model_).pool || (IsLoop(model_) && offload_)) params["workers"] = workers_;
    if (IsLoop(model_)) params["offload"] = offload_;
    return params;
  }

 private:
  nlohmann::json Request(nlohmann::json form, bool check) const {
    nlohmann::json request = {{"model", Info(model_).name},
                              {"workers", workers_},
                              {"offload", offload_},
                              {"task_cpu", limits().task_cpu || task_cpu_},
                              {"form", std::move(form)}};
    if (check) request["check"] = true;
    request["return_when"] = ReturnWhenName(limits().return_when);
    return request;
  }

  // The runner's records and usage into `run`.
  void Fill(const nlohmann::json& answer, EngineRun& run, RunControl& control) const {
    const nlohmann::json& records = answer["records"];
    for (std::size_t i = 0; i < run.records.size() && i < records.size(); ++i) {
      const nlohmann::json& r = records[i];
      TaskRecord& record = run.records[i];
      record.status = StatusOf(r[0].get<std::string>());
      record.start = Clock::time_point(std::chrono::nanoseconds(r[1].get<std::int64_t>()));
      record.end = Clock::time_point(std::chrono::nanoseconds(r[2].get<std::int64_t>()));
      record.worker = r[3].get<std::int32_t>();
      record.result = r[4].get<std::string>();
      if (r[5].is_number()) record.cpu_seconds = r[5].get<double>();
      if (r.size() > 6 && r[6].is_array() && !run.commands.empty()) {  // user, system, peak
        run.commands[i] = {r[6][0].get<double>(), r[6][1].get<double>(), r[6][2].get<long>(), 1};
      }
      if (record.status != TaskStatus::kNotRun) control.finished(record.status);
    }
    std::string ended_by = answer.value("ended_by", "");
    for (EndedBy reason : {EndedBy::kFirstCompleted, EndedBy::kFirstException}) {
      if (ended_by == EndedByName(reason)) control.end(reason);
    }
    const nlohmann::json& usage = answer["usage"];
    run.children.user_seconds = usage[0].get<double>() - ready_usage_[0].get<double>();
    run.children.system_seconds = usage[1].get<double>() - ready_usage_[1].get<double>();
    run.children.peak_rss_bytes = usage[2].get<long>();
    for (const nlohmann::json& worker : answer["workers"]) {
      run.children.user_seconds += worker[1].get<double>();
      run.children.system_seconds += worker[2].get<double>();
      run.children.peak_rss_bytes += worker[3].get<long>();
    }
  }

  PythonModel model_;
  std::string python_;
  unsigned workers_;
  bool offload_;
  nlohmann::json interpreter_;  // what the probe said: python, version, implementation, gil
  std::string name_;
  std::unique_ptr<PythonProcess> process_;  // the run's interpreter, from prepare_run
  std::string prepare_error_;
  nlohmann::json ready_usage_;
  double startup_seconds_ = 0;  // from the interpreter's start to its "ready", untimed
  bool task_cpu_ = false;       // the workload wants each task's CPU time
};

}  // namespace

std::vector<ParamSpec> PythonParams(PythonModel model) {
  std::vector<ParamSpec> params = {
      {"python", ParamType::kText, "python3",
       "Python engines: the interpreter (CPython 3.9 or newer, a free-threaded build, PyPy)"}};
  if (Info(model).pool || IsLoop(model)) params.push_back(WorkersParam());
  if (IsLoop(model)) {
    params.push_back({"offload", ParamType::kFlag, "false",
                      "asio and py-asyncio/py-uvloop: run CPU-bound tasks and blocking calls on a "
                      "thread pool"});
  }
  return params;
}

template <PythonModel model>
std::unique_ptr<Engine> MakePythonEngine(const Params& params) {
  std::string python = params.text("python");
  unsigned workers = Info(model).pool || IsLoop(model) ? ReadWorkers(params) : 1;
  bool offload = IsLoop(model) && params.flag("offload");
  nlohmann::json answer = Ask(python, {{"probe", true}});
  if (!answer.contains("ready")) {
    throw ParamError(fmt::format("--python: {}", answer.value("error", "no answer")));
  }
  return std::make_unique<PythonEngine>(model, python, workers, offload, answer["ready"]);
}

template std::unique_ptr<Engine> MakePythonEngine<PythonModel::kSequential>(const Params&);
template std::unique_ptr<Engine> MakePythonEngine<PythonModel::kThread>(const Params&);
template std::unique_ptr<Engine> MakePythonEngine<PythonModel::kPool>(const Params&);
template std::unique_ptr<Engine> MakePythonEngine<PythonModel::kProcess>(const Params&);
template std::unique_ptr<Engine> MakePythonEngine<PythonModel::kAsyncio>(const Params&);
template std::unique_ptr<Engine> MakePythonEngine<PythonModel::kUvloop>(const Params&);

}  // namespace concbench
