// A small result of the sleep workload with a given engine and median, for the report tests.
#pragma once

#include <string>
#include <utility>

#include "results/result.hpp"
#include "results/statistics.hpp"

namespace concbench::testing {

inline Result SampleResult(std::string engine, double median) {
  Result r;
  r.workload = "sleep";
  r.engine = std::move(engine);
  r.workload_parameters = {{"tasks", 2}, {"delays", {"2s", "3s"}}};
  r.engine_parameters = {{"workers", 2}};
  r.times = {median, median};
  r.wall = Summarize(r.times);
  r.user_seconds = 0.001;
  r.system_seconds = 0.002;
  r.peak_rss_bytes = 4 << 20;
  r.voluntary_switches = 3;
  r.involuntary_switches = 1;
  r.tasks = {4, 4, 0, 0};
  r.ideal_seconds = 3;
  r.efficiency = 3 / median;
  r.verified = true;
  return r;
}

}  // namespace concbench::testing
