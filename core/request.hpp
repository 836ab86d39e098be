// A `run` as the command line asks for it, in plain data, turned into run specs: the suite's,
// or one spec from the options.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/plan.hpp"
#include "core/suite.hpp"

namespace concbench {

struct RunRequest {
  std::set<std::string> given;         // long names of the options given ("warmup", "delay", ...)
  std::vector<std::string> workloads;  // empty: all
  std::vector<std::string> engines;    // empty: all
  unsigned repetitions = 5;
  unsigned min_runs = 5;
  unsigned max_runs = 0;
  std::string min_time;  // a duration; empty for none
  unsigned warmup = 1;
  std::vector<std::string> sweeps;  // NAME=SPEC
  std::string suite;                // a suite file
  std::string name;                 // names the command line's results (for compare)
  double time_scale = 1;
  std::map<std::string, std::string> values;  // workload and engine parameters given
};

// The run specs `request` asks for: the suite's (then loaded into *suite), or one from the
// options. On bad input returns {} and sets *error, naming the option.
std::vector<RunSpec> SpecsFrom(const RunRequest& request, std::string* error, Suite* suite);

}  // namespace concbench
