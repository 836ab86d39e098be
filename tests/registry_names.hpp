// The registries' names, for ::testing::ValuesIn: a test instantiated over them covers an
// engine or a workload as soon as it is registered.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "concbench/workload_registry.hpp"
#include "engines/registry.hpp"

namespace concbench::testing {

// Every engine a test process can run in itself: all but those run only by name (mpi needs
// mpirun; tests/mpi_test.cpp runs it).
inline std::vector<std::string> EngineNames() {
  std::vector<std::string> names;
  for (const EngineInfo& info : EngineRegistry()) {
    if (!info.named_only) names.emplace_back(info.name);
  }
  return names;
}

inline std::vector<std::string> WorkloadNames() {
  std::vector<std::string> names;
  for (const WorkloadInfo& info : WorkloadRegistry()) names.emplace_back(info.name);
  return names;
}

// A test's name from a registry name: "pool" (GTest allows only letters, digits and '_').
inline std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace concbench::testing
