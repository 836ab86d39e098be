#include "concbench/workload_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>

#include "concbench/registration.hpp"
#include "workloads/blocking.hpp"
#include "workloads/counter.hpp"
#include "workloads/exec.hpp"
#include "workloads/faults.hpp"
#include "workloads/file.hpp"
#include "workloads/graph.hpp"
#include "workloads/http.hpp"
#include "workloads/primes.hpp"
#include "workloads/pycall.hpp"
#include "workloads/queue.hpp"
#include "workloads/sleep.hpp"
#include "workloads/spin.hpp"

namespace concbench {
namespace {

// `own` followed by the parameters every workload takes (--fail-rate, --seed) and, when it
// counts its tasks with --tasks, the graph's (--pattern, ...).
std::vector<ParamSpec> WithFailureParams(std::vector<ParamSpec> own) {
  bool counted = std::any_of(own.begin(), own.end(),
                             [](const ParamSpec& spec) { return spec.name == "tasks"; });
  if (counted) {
    for (ParamSpec& spec : GraphParams()) own.push_back(std::move(spec));
  }
  for (ParamSpec& spec : FailureParams()) own.push_back(std::move(spec));
  return own;
}

// The workload `make` makes, arranged as --pattern's graph, with --fail-rate applied.
std::unique_ptr<Workload> MakeDecorated(
    const Params& params, const std::function<std::unique_ptr<Workload>(const Params&)>& make) {
  return WithFailures(WithGraph(params, make), params);
}

template <std::unique_ptr<Workload> (*make)(const Params&)>
std::unique_ptr<Workload> MakeFailing(const Params& params) {
  return MakeDecorated(params, make);
}

// True for the parameters every workload gets, which a registered one must not declare.
bool Reserved(std::string_view name) {
  std::vector<ParamSpec> shared = FailureParams();
  for (ParamSpec& spec : GraphParams()) shared.push_back(std::move(spec));
  return std::any_of(shared.begin(), shared.end(),
                     [&](const ParamSpec& spec) { return spec.name == name; });
}

// The table: the shipped workloads, then the registered ones. A function-local static, so that
// registrations during static initialisation (before main) find it made, in any order.
std::vector<WorkloadInfo>& Table() {
  static std::vector<WorkloadInfo> workloads = {
      {"sleep", "I/O-bound stand-in: each task waits its delay (timers on asio)",
       WithFailureParams(SleepParams()), MakeFailing<MakeSleepWorkload>},
      {"primes", "CPU-bound: trial-division primality test of each input, as the tutorial's",
       WithFailureParams(PrimesParams()), MakeFailing<MakePrimesWorkload>},
      {"counter", "shared counter: each task reads it, pauses, writes it + 1 (lost updates)",
       WithFailureParams(CounterParams()), MakeFailing<MakeCounterWorkload>},
      {"blocking", "waits of which --blocking call a blocking sleep: they freeze an event loop",
       WithFailureParams(BlockingParams()), MakeFailing<MakeBlockingWorkload>},
      {"queue", "producers and consumers around one bounded queue: throughput and latency",
       // No --fail-rate: consumers would wait for the items of a producer that never ran.
       QueueParams(), MakeQueueWorkload, kQueueEngineLimits},
      {"http", "network I/O: GETs to a local HTTP/1.1 server (Beast) that answers after --latency",
       WithFailureParams(HttpParams()), MakeFailing<MakeHttpWorkload>},
      {"file", "file I/O: each task writes, reads back and removes a file of --size bytes",
       WithFailureParams(FileParams()), MakeFailing<MakeFileWorkload>},
      {"spin", "CPU-bound, calibrated: each task computes for --grain of CPU time",
       WithFailureParams(SpinParams()), MakeFailing<MakeSpinWorkload>},
      {"exec", "your own work: each task runs a command (--cmd); runs only when named (-w exec)",
       WithFailureParams(ExecParams()), MakeFailing<MakeExecWorkload>, "", /*named_only=*/true},
      // No --fail-rate: the failure would be injected in C++, where these tasks do not run.
      {"pycall",
       "your own Python: each task calls --call MODULE:FUNCTION on a Python engine (-e python); "
       "runs only when named",
       PycallParams(), MakePycallWorkload, "", /*named_only=*/true},
  };
  return workloads;
}

}  // namespace

const std::vector<WorkloadInfo>& WorkloadRegistry() { return Table(); }

const WorkloadInfo* FindWorkload(std::string_view name) {
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

namespace {

std::vector<std::string>& Errors() {
  static std::vector<std::string> errors;
  return errors;
}

// A copy of `text` for a registered row to view: a deque keeps its strings in place as it grows.
std::string_view Keep(std::string_view text) {
  static std::deque<std::string> texts;
  return texts.emplace_back(text);
}

// True when `name` is made of lowercase letters, digits and the characters of `others`, and
// starts with a lowercase letter or a digit.
bool IsName(std::string_view name, std::string_view others) {
  auto plain = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return !name.empty() && plain(name.front()) && std::all_of(name.begin(), name.end(), [&](char c) {
    return plain(c) || others.find(c) != std::string_view::npos;
  });
}

// Why parameter `spec` cannot be one of a registered workload's parameters (the earlier ones
// being `own`), or "".
std::string ParamProblem(const ParamSpec& spec, std::span<const ParamSpec> own) {
  std::string option = "--" + spec.name;
  if (spec.name.size() < 2 || !IsName(spec.name, "-")) {
    return fmt::format("parameter '{}': a name is lowercase letters, digits and '-', two or more",
                       spec.name);
  }
  if (Reserved(spec.name)) {
    return option + ": every workload gets it; do not declare it";
  }
  if (std::any_of(own.begin(), own.end(),
                  [&](const ParamSpec& p) { return p.name == spec.name; })) {
    return option + ": declared twice";
  }
  if (spec.type == ParamType::kChoice && spec.choices.empty()) return option + ": no choices";
  if (!spec.default_value.empty()) {
    if (std::string why = ValidateParam(spec, spec.default_value); !why.empty()) {
      return fmt::format("{}: its default: {}", option, why);
    }
  }
  for (const WorkloadInfo& other : WorkloadRegistry()) {
    for (const ParamSpec& taken : other.params) {
      if (taken.name == spec.name && (taken.type != spec.type || taken.choices != spec.choices)) {
        return fmt::format(
            "{}: the {} workload has a parameter of this name of another type (or other "
            "choices), and one option cannot take both; rename it or declare it as {} does",
            option, other.name, other.name);
      }
    }
  }
  return "";
}

// Why `info` cannot be registered, or "".
std::string RegistrationProblem(const WorkloadInfo& info) {
  if (!IsName(info.name, "-_") || info.name == "all") {
    return "a name is lowercase letters, digits, '-' and '_', and not 'all'";
  }
  if (FindWorkload(info.name) != nullptr) return "the name is taken (see concbench list)";
  if (!info.make) return "it has no factory (make)";
  for (std::size_t i = 0; i < info.params.size(); ++i) {
    std::span<const ParamSpec> before(info.params.data(), i);
    if (std::string why = ParamProblem(info.params[i], before); !why.empty()) return why;
  }
  return "";
}

}  // namespace

bool RegisterWorkload(WorkloadInfo info) {
  if (std::string why = RegistrationProblem(info); !why.empty()) {
    Errors().push_back(fmt::format("cannot register workload '{}': {}", info.name, why));
    return false;
  }
  info.name = Keep(info.name);
  info.description = Keep(info.description);
  info.engine_limits = Keep(info.engine_limits);
  // Made as the shipped workloads are: arranged by --pattern, with --fail-rate applied, and named
  // as registered, since
  // results, -w and compare know a workload by its name.
  auto checked = [name = info.name, own = std::move(info.make)](const Params& params) {
    std::unique_ptr<Workload> workload = own(params);
    if (workload == nullptr || workload->name() != name) {
      throw std::logic_error(fmt::format(
          "the factory of workload '{}' made {}; its name() must return '{}'", name,
          workload == nullptr ? "nothing" : fmt::format("'{}'", workload->name()), name));
    }
    return workload;
  };
  info.params = WithFailureParams(std::move(info.params));
  info.make = [checked = std::move(checked)](const Params& params) {
    return MakeDecorated(params, checked);
  };
  Table().push_back(std::move(info));
  return true;
}

const std::vector<std::string>& WorkloadRegistrationErrors() { return Errors(); }

}  // namespace concbench
