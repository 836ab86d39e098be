#include "workloads/blocking.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "workloads/wait.hpp"

namespace concbench {
namespace {

class BlockingWorkload : public WaitWorkload {
 public:
  using WaitWorkload::WaitWorkload;

  std::string_view name() const override { return "blocking"; }

  nlohmann::json parameters() const override {
    std::vector<std::string> texts;
    std::vector<std::size_t> blocking_at;
    for (std::size_t i = 0; i < delays().size(); ++i) {
      texts.push_back(FormatDuration(delays()[i]));
      if (blocking()[i]) blocking_at.push_back(i);
    }
    return {{"tasks", delays().size()}, {"delays", texts}, {"blocking_at", blocking_at}};
  }

  // A waiting task is stalled when it shares a thread that interleaves tasks (an event loop)
  // with a blocking call and was held up by it: it was in flight while the call blocked, or it
  // started after the call began. Threads that run one task at a time stall nobody.
  nlohmann::json end_run(std::span<const TaskRecord> records) const override {
    std::map<long, std::vector<std::size_t>> by_worker;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i].status != TaskStatus::kNotRun) by_worker[records[i].worker].push_back(i);
    }
    std::size_t calls = 0, stalled = 0;
    for (auto& [worker, tasks] : by_worker) {
      std::sort(tasks.begin(), tasks.end(),
                [&](std::size_t a, std::size_t b) { return records[a].start < records[b].start; });
      bool interleaves = false;
      for (std::size_t k = 1; k < tasks.size() && !interleaves; ++k) {
        interleaves = records[tasks[k]].start < records[tasks[k - 1]].end;
      }
      for (std::size_t b : tasks) {
        if (!blocking()[b]) continue;
        ++calls;
        if (!interleaves) continue;
        for (std::size_t t : tasks) {
          if (blocking()[t]) continue;
          bool overlaps = records[t].start < records[b].end && records[t].end > records[b].start;
          if (overlaps || records[t].start >= records[b].start) ++stalled;
        }
      }
    }
    std::string outcome = stalled == 0 ? "stalled no other task"
                                       : fmt::format("stalled {} other tasks behind {} blocking {}",
                                                     stalled, calls, calls == 1 ? "call" : "calls");
    return {{"blocking_calls", calls}, {"stalled_tasks", stalled}, {"outcome", outcome}};
  }

 protected:
  std::string Answer(std::size_t index) const override {
    return fmt::format("{} {}", blocking()[index] ? "blocked" : "waited",
                       FormatDuration(delays()[index]));
  }
};

}  // namespace

std::vector<ParamSpec> BlockingParams() {
  std::vector<ParamSpec> params = DelayParams();
  params.insert(
      params.end(),
      {
          {"blocking", ParamType::kWhole, "1",
           "blocking: the first K tasks make a blocking sleep instead of an awaitable wait"},
          {"blocking-at", ParamType::kIndexList, "",
           "blocking: instead of --blocking, the indices (from 0) of the tasks that block"},
      });
  return params;
}

std::unique_ptr<Workload> MakeBlockingWorkload(const Params& params) {
  std::vector<Duration> delays = ReadDelays(params, 1'000'000, " for blocking");
  std::vector<bool> blocking(delays.size(), false);
  if (params.has("blocking-at")) {
    if (params.given("blocking")) {
      throw ParamError("--blocking-at: names the blocking tasks; give it without --blocking");
    }
    for (std::uint64_t index : params.index_list("blocking-at")) {
      if (index >= delays.size()) {
        throw ParamError(fmt::format("--blocking-at: task {} does not exist (there are {})", index,
                                     delays.size()));
      }
      blocking[static_cast<std::size_t>(index)] = true;
    }
  } else {
    std::uint64_t count = params.has("blocking") ? params.whole("blocking") : 0;
    if (count > delays.size()) {
      throw ParamError(
          fmt::format("--blocking: {} is more than the {} tasks", count, delays.size()));
    }
    std::fill(blocking.begin(), blocking.begin() + static_cast<std::ptrdiff_t>(count), true);
  }
  return std::make_unique<BlockingWorkload>(std::move(delays), std::move(blocking));
}

}  // namespace concbench
