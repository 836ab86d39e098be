#include "workloads/graph.hpp"

#include <fmt/format.h>

#include <string>

#include "workloads/critical_path.hpp"
#include "workloads/forwarding.hpp"
#include "workloads/pattern_graph.hpp"
#include "workloads/patterns.hpp"

namespace concbench {

namespace {

// A pattern's graph with the data along its edges.
class DataGraph final : public PatternGraph {
 public:
  DataGraph(PatternGraph graph, std::size_t bytes)
      : PatternGraph(std::move(graph)), data_(task_count(), bytes) {}

  const EdgeData& data() const { return data_; }

  std::size_t output_size() const override { return data_.bytes(); }
  void copy_output(std::size_t task, std::string& to) const override { data_.Copy(task, to); }
  void put_output(std::size_t task, std::string_view bytes) const override {
    data_.Put(task, bytes);
  }

 private:
  EdgeData data_;
};

struct Owned {
  std::unique_ptr<Workload> workload;
};

class GraphWorkload : private Owned, public ForwardingWorkload {
 public:
  GraphWorkload(std::unique_ptr<Workload> inner, const GraphShape& shape, PatternGraph graph,
                std::size_t bytes)
      : Owned{std::move(inner)},
        ForwardingWorkload(*workload),
        shape_(shape),
        graph_(std::move(graph), bytes),
        data_(graph_.data()) {}

  const TaskGraph* graph() const override { return &graph_; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    CheckInputs(index);
    std::string answer = workload->run_blocking(index, std::move(stop));
    data_.Write(index, graph_.step_of(index), graph_.point_of(index));
    return answer;
  }

  boost::asio::awaitable<std::string> run_async(std::size_t index,
                                                std::stop_token stop) const override {
    CheckInputs(index);
    std::string answer = co_await workload->run_async(index, std::move(stop));
    data_.Write(index, graph_.step_of(index), graph_.point_of(index));
    co_return answer;
  }

  // The awaitable form, which checks and writes the edges' data.
  WaitTask run_wait(std::size_t, std::stop_token) const override { return {}; }

  // The inner workload's form (null when it has none) with "graph": each task's inputs as
  // [[first, count], ...], its [step, point], and the bytes of an output, which the Python side
  // (python/concbench_python/graph.py) writes and checks as this file does.
  nlohmann::json python_form() const override {
    nlohmann::json form = workload->python_form();
    if (form.is_null()) return form;
    nlohmann::json inputs = nlohmann::json::array();
    nlohmann::json places = nlohmann::json::array();
    std::vector<TaskRange> ranges;
    for (std::size_t task = 0; task < graph_.task_count(); ++task) {
      graph_.inputs(task, ranges);
      nlohmann::json list = nlohmann::json::array();
      for (const TaskRange& range : ranges) list.push_back({range.first, range.count});
      inputs.push_back(std::move(list));
      places.push_back({graph_.step_of(task), graph_.point_of(task)});
    }
    form["graph"] = {{"inputs", std::move(inputs)},
                     {"places", std::move(places)},
                     {"output_bytes", data_.bytes()}};
    return form;
  }

  void begin_run() const override {
    data_.Clear();
    workload->begin_run();
  }

  // The floor of a graph: the larger of the work spread over the lanes (the workload's own
  // floor) and the critical path, in tasks, times the mean task's work.
  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    double spread = workload->ideal_seconds(records, lanes, cores);
    std::size_t completed = 0;
    for (const TaskRecord& record : records) completed += record.status == TaskStatus::kOk;
    if (completed == 0) return spread;
    double mean = workload->ideal_seconds(records, 1, cores) / static_cast<double>(completed);
    return std::max(spread, mean * static_cast<double>(CompletedPath(records).tasks));
  }

  nlohmann::json parameters() const override {
    nlohmann::json params = workload->parameters();
    params["pattern"] = PatternName(shape_.pattern);
    params["steps"] = shape_.steps;
    params["width"] = shape_.width;
    if (UsesRadix(shape_.pattern)) params["radix"] = shape_.radix;
    if (shape_.period > 0) params["period"] = shape_.period;
    if (UsesFraction(shape_.pattern)) params["fraction"] = shape_.fraction;
    params["output_bytes"] = data_.bytes();
    return params;
  }

  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    nlohmann::json metrics = workload->end_run(records);
    CriticalPath path = CompletedPath(records);
    metrics["graph_tasks"] = graph_.task_count();
    metrics["graph_dependencies"] = graph_.edge_count();
    metrics["critical_path_tasks"] = path.tasks;
    metrics["critical_path_seconds"] = path.seconds;
    return metrics;
  }

 private:
  // Throws naming the edge when an input's output is not what its (step, point) writes.
  void CheckInputs(std::size_t index) const {
    thread_local std::vector<TaskRange> ranges;
    graph_.inputs(index, ranges);
    for (const TaskRange& range : ranges) {
      for (std::size_t input = range.first; input < range.first + range.count; ++input) {
        std::string why = data_.Check(input, graph_.step_of(input), graph_.point_of(input));
        if (why.empty()) continue;
        throw std::runtime_error(fmt::format("started before its input {} had finished: {}",
                                             graph_.describe(input), why));
      }
    }
  }

  // The longest chain of completed tasks, in tasks and in their measured seconds.
  CriticalPath CompletedPath(std::span<const TaskRecord> records) const {
    return LongestPath(graph_, [records](std::size_t task) {
      const TaskRecord& record = records[task];
      return record.status == TaskStatus::kOk ? record.seconds() : -1.0;
    });
  }

  GraphShape shape_;
  DataGraph graph_;
  const EdgeData& data_;
};

}  // namespace

std::vector<ParamSpec> GraphParams() {
  std::vector<std::string> patterns = {"none"};
  patterns.insert(patterns.end(), PatternNames().begin(), PatternNames().end());
  return {
      {"pattern", ParamType::kChoice, "none",
       "arrange the tasks as a Task Bench graph of --steps × --width points, each waiting for "
       "points of the step before (none: independent tasks)",
       patterns},
      {"steps", ParamType::kCount, "4", "--pattern: the graph's steps (Task Bench's -steps)"},
      {"width", ParamType::kCount, "4", "--pattern: the points of a step (Task Bench's -width)"},
      {"radix", ParamType::kWhole, "3",
       "--pattern nearest, spread, random_nearest: the inputs of a point"},
      {"period", ParamType::kWhole, "",
       "--pattern spread, random_nearest: steps before the pattern repeats (default 3)"},
      {"fraction", ParamType::kRate, "0.25",
       "--pattern random_nearest: the share of the radix's points a point waits for"},
      {"output-bytes", ParamType::kBytes, "16",
       "--pattern: the bytes each task writes for the tasks that wait for it, which check them "
       "(at least 16)"},
  };
}

namespace {

// The graph options given without --pattern: an error naming the first.
void RefuseWithoutPattern(const Params& params) {
  for (const char* name : {"steps", "width", "radix", "period", "fraction", "output-bytes"}) {
    if (params.given(name)) throw ParamError(fmt::format("--{}: only with --pattern", name));
  }
}

GraphShape ReadShape(const Params& params) {
  GraphShape shape;
  shape.pattern = *PatternByName(params.choice("pattern", PatternNames()));
  shape.steps = params.count("steps");
  shape.width = params.count("width");
  shape.radix = params.whole("radix");
  shape.period = params.has("period") ? params.whole("period") : DefaultPeriod(shape.pattern);
  shape.fraction = params.rate("fraction");
  if (std::string why = ShapeProblem(shape); !why.empty()) throw ParamError(why);
  return shape;
}

}  // namespace

std::unique_ptr<Workload> WithGraph(
    const Params& params, const std::function<std::unique_ptr<Workload>(const Params&)>& make) {
  if (!params.has("pattern") || params.raw("pattern") == "none") {
    RefuseWithoutPattern(params);
    return make(params);
  }
  GraphShape shape = ReadShape(params);
  std::uint64_t bytes = params.bytes("output-bytes");
  if (bytes < 16) throw ParamError("--output-bytes: at least 16 (a step and a point)");
  if (!params.has("tasks")) {
    throw ParamError(
        "--pattern: this workload's tasks are not counted by --tasks; it cannot be "
        "a graph's tasks");
  }
  if (params.given("tasks")) {
    throw ParamError("--tasks: a graph's tasks are its --steps × --width points; leave it out");
  }
  PatternGraph graph(shape);
  Params inner = params;
  inner.set("tasks", std::to_string(graph.task_count()), /*given=*/false);
  std::unique_ptr<Workload> workload = make(inner);
  if (workload->task_count() != graph.task_count()) {
    throw ParamError(fmt::format("--pattern: the {} workload made {} tasks for a graph of {}",
                                 workload->name(), workload->task_count(), graph.task_count()));
  }
  return std::make_unique<GraphWorkload>(std::move(workload), shape, std::move(graph), bytes);
}

}  // namespace concbench
