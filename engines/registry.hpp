// The table of engines: name, description, parameters and factory. Drives `concbench list`,
// option validation and "did you mean" hints.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "engines/engine.hpp"

namespace concbench {

struct EngineInfo {
  std::string_view name;
  std::string_view description;
  std::vector<ParamSpec> params;
  // Throws ParamError naming the option when a parameter is out of range.
  std::unique_ptr<Engine> (*make)(const Params& params);
  // Left out of `all` and of the default selection: run only when named (mpi needs mpirun).
  bool named_only = false;
  // A word that selects this engine with the others of its group ("python"), or "".
  std::string_view group = "";
};

// Every engine, in the order the default comparison runs them (sequential first).
const std::vector<EngineInfo>& EngineRegistry();
// The engine speedups and relative speeds are against by default: the registry's first.
std::string_view BaselineEngine();
// The engine named `name`, or nullptr.
const EngineInfo* FindEngine(std::string_view name);

}  // namespace concbench
