// Engines and workloads made from the registries on their defaults, and runs as the harness
// makes them (begin_run, the engine, end_run): shared by the engine and workload tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "concbench/workload_registry.hpp"
#include "engines/engine.hpp"
#include "engines/registry.hpp"

namespace concbench::testing {

// The specs' defaults, then `given` over them.
inline Params Defaults(const std::vector<ParamSpec>& specs,
                       std::map<std::string, std::string> given) {
  Params params;
  for (const ParamSpec& spec : specs) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (auto& [key, value] : given) params.set(key, value);
  return params;
}

inline std::unique_ptr<Engine> MakeEngine(const std::string& name,
                                          std::map<std::string, std::string> values) {
  const EngineInfo* info = FindEngine(name);
  EXPECT_NE(info, nullptr) << name;
  Params params = Defaults(info->params, std::move(values));
  return info->make(params);
}

// An engine on its defaults with two workers.
inline std::unique_ptr<Engine> MakeEngine(const std::string& name) {
  return MakeEngine(name, {{"workers", "2"}});
}

inline std::unique_ptr<Workload> MakeWorkload(const std::string& name,
                                              std::map<std::string, std::string> values) {
  const WorkloadInfo* info = FindWorkload(name);
  EXPECT_NE(info, nullptr) << name;
  Params params = Defaults(info->params, std::move(values));
  return info->make(params);
}

// A thread that requests `source`'s stop after `delay` (join it, or let it go out of scope).
inline std::jthread StopAfter(std::stop_source& source, std::chrono::milliseconds delay) {
  return std::jthread([&source, delay] {
    std::this_thread::sleep_for(delay);
    source.request_stop();
  });
}

inline bool NoChildrenLeft() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

// One run as the harness makes it: begin_run, the engine, end_run.
struct Measured {
  EngineRun run;
  nlohmann::json metrics;
  double seconds = 0;
};

inline Measured Measure(const Workload& workload, Engine& engine) {
  Measured m;
  workload.begin_run();
  auto started = std::chrono::steady_clock::now();
  m.run = engine.run(workload, std::stop_token());
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  m.metrics = workload.end_run(m.run.records);
  return m;
}

// Runs every task once as the harness does (begin_run, run, end_run); returns the metrics.
inline nlohmann::json RunAll(const Workload& workload, Engine& engine, EngineRun& run,
                             std::stop_token stop = {}) {
  workload.begin_run();
  run = engine.run(workload, stop);
  return workload.end_run(run.records);
}

}  // namespace concbench::testing
