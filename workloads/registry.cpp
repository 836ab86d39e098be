#include "concbench/workload_registry.hpp"

#include "workloads/blocking.hpp"
#include "workloads/counter.hpp"
#include "workloads/faults.hpp"
#include "workloads/file.hpp"
#include "workloads/http.hpp"
#include "workloads/primes.hpp"
#include "workloads/queue.hpp"
#include "workloads/sleep.hpp"
#include "workloads/spin.hpp"

namespace concbench {
namespace {

// `own` followed by the parameters every workload takes (--fail-rate, --seed).
std::vector<ParamSpec> WithFailureParams(std::vector<ParamSpec> own) {
  for (ParamSpec& spec : FailureParams()) own.push_back(std::move(spec));
  return own;
}

// The workload made by `make`, with --fail-rate applied.
template <std::unique_ptr<Workload> (*make)(const Params&)>
std::unique_ptr<Workload> MakeFailing(const Params& params) {
  return WithFailures(make(params), params);
}

}  // namespace

const std::vector<WorkloadInfo>& WorkloadRegistry() {
  static const std::vector<WorkloadInfo> workloads = {
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
  };
  return workloads;
}

const WorkloadInfo* FindWorkload(std::string_view name) {
  for (const WorkloadInfo& info : WorkloadRegistry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace concbench
