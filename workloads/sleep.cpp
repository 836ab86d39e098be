#include "workloads/sleep.hpp"

#include <algorithm>

#include "workloads/wait.hpp"

namespace concbench {
namespace {

class SleepWorkload : public WaitWorkload {
 public:
  explicit SleepWorkload(const std::vector<Duration>& delays)
      : WaitWorkload(delays, std::vector<bool>(delays.size(), false)) {}

  std::string_view name() const override { return "sleep"; }

  nlohmann::json parameters() const override {
    const std::vector<Duration>& all = delays();
    bool uniform =
        std::all_of(all.begin(), all.end(), [&](Duration d) { return d == all.front(); });
    nlohmann::json params = {{"tasks", all.size()}};
    if (uniform) {
      params["delay"] = FormatDuration(all.front());
    } else {
      std::vector<std::string> texts;
      texts.reserve(all.size());
      for (Duration d : all) texts.push_back(FormatDuration(d));
      params["delays"] = texts;
    }
    return params;
  }

 protected:
  std::string Answer(std::size_t index) const override {
    return "slept " + FormatDuration(delays()[index]);
  }
};

}  // namespace

std::vector<ParamSpec> SleepParams() { return DelayParams(); }

std::unique_ptr<Workload> MakeSleepWorkload(const Params& params) {
  return std::make_unique<SleepWorkload>(ReadDelays(params, 10'000'000, ""));
}

}  // namespace concbench
