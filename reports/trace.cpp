#include "reports/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>
#include <utility>

#include "results/labels.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

// A JSON string literal, escaped.
std::string Quoted(const std::string& text) { return DumpJson(nlohmann::json(text)); }

// Nanoseconds from the run's start: events are placed on whole nanoseconds, so the file's
// "ts" and "dur" (µs with 3 decimals) say exactly what the lanes were built from.
std::int64_t Nanoseconds(double seconds) {
  return std::max<std::int64_t>(0, std::llround(seconds * 1e9));
}

// "12.345" µs from nanoseconds, exactly.
std::string Micros(std::int64_t ns) { return fmt::format("{}.{:03}", ns / 1000, ns % 1000); }

struct Event {
  const TaskSpan* span;
  std::int64_t start_ns, end_ns;
  std::size_t lane = 0;  // within its worker, from 0
};

// One worker's lanes: each lane's last end, the lane that frees first on top.
struct WorkerLanes {
  std::size_t order = 0;  // first appearance among the workers
  std::size_t count = 0;
  std::size_t first_tid = 0;
  using Free = std::pair<std::int64_t, std::size_t>;  // (end, lane)
  std::priority_queue<Free, std::vector<Free>, std::greater<Free>> ends;
};

// The started tasks in start order, each on the first lane of its worker that is free by its
// start (greedy interval partitioning: the fewest lanes with no two events overlapping).
std::vector<Event> AssignLanes(const Result& result, std::map<long, WorkerLanes>& workers) {
  std::vector<Event> events;
  for (const TaskSpan& span : result.timeline) {
    if (span.status == TaskStatus::kNotRun) continue;
    std::int64_t start = Nanoseconds(span.start);
    events.push_back({&span, start, std::max(start, Nanoseconds(span.end))});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.start_ns < b.start_ns; });
  for (Event& event : events) {
    auto [it, added] = workers.try_emplace(event.span->worker);
    WorkerLanes& lanes = it->second;
    if (added) lanes.order = workers.size() - 1;
    if (!lanes.ends.empty() && lanes.ends.top().first <= event.start_ns) {
      event.lane = lanes.ends.top().second;
      lanes.ends.pop();
    } else {
      event.lane = lanes.count++;
    }
    lanes.ends.push({event.end_ns, event.lane});
  }
  return events;
}

}  // namespace

// Events are formatted directly rather than built as a JSON tree: a run of 100k tasks makes
// a trace of ~14 MB, and this keeps writing it to a fraction of a second.
void WriteTrace(std::ostream& out, const std::vector<Result>& results) {
  out << "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[";
  const char* separator = "\n";
  auto emit = [&](const std::string& event) {
    out << separator << event;
    separator = ",\n";
  };
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& result = results[i];
    std::size_t pid = i + 1;
    emit(fmt::format(R"({{"ph":"M","name":"process_name","pid":{},"args":{{"name":{}}}}})", pid,
                     Quoted(CommandName(result))));
    emit(fmt::format(
        R"({{"ph":"M","name":"process_sort_index","pid":{},"args":{{"sort_index":{}}}}})", pid, i));
    std::map<long, WorkerLanes> workers;
    std::vector<Event> events = AssignLanes(result, workers);
    // Lanes numbered worker by worker, in the order the workers first started a task.
    std::vector<std::pair<long, WorkerLanes*>> ordered(workers.size());
    for (auto& [worker, lanes] : workers) ordered[lanes.order] = {worker, &lanes};
    std::size_t tid = 1;
    for (auto& [worker, lanes] : ordered) {
      lanes->first_tid = tid;
      for (std::size_t lane = 0; lane < lanes->count; ++lane, ++tid) {
        emit(fmt::format(
            R"({{"ph":"M","name":"thread_name","pid":{},"tid":{},"args":{{"name":"worker {} · lane {}"}}}})",
            pid, tid, worker, lane + 1));
        emit(fmt::format(
            R"({{"ph":"M","name":"thread_sort_index","pid":{},"tid":{},"args":{{"sort_index":{}}}}})",
            pid, tid, tid));
      }
    }
    for (const Event& event : events) {
      const TaskSpan& span = *event.span;
      std::string_view status = TaskStatusName(span.status);
      // A graph's task is named by its place too: "task 17 (step 2, point 1)".
      std::string name = fmt::format("task {}", span.task);
      std::string place;
      if (span.step >= 0) {
        name += fmt::format(" (step {}, point {})", span.step, span.point);
        place = fmt::format(R"(,"step":{},"point":{})", span.step, span.point);
      }
      emit(fmt::format(R"({{"ph":"X","name":"{}","cat":"{}","pid":{},"tid":{},"ts":{},"dur":{},)"
                       R"("args":{{"task":{},"status":"{}","worker":{}{}}}}})",
                       name, status, pid, workers[span.worker].first_tid + event.lane,
                       Micros(event.start_ns), Micros(event.end_ns - event.start_ns), span.task,
                       status, span.worker, place));
    }
  }
  out << "\n]}\n";
}

}  // namespace concbench
