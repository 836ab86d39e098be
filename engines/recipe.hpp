// How a workload was made, so that another process can make its own copy (mpi's ranks).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/params.hpp"
#include "concbench/workload.hpp"

namespace concbench {

// The parameters of a plugin with `specs`, as the planner makes them: the values in `values`
// (marked given), else the defaults.
Params ParamsFor(const std::vector<ParamSpec>& specs,
                 const std::map<std::string, std::string>& values);

// How a workload was made: its registry name and the values given to its factory (the defaults
// left out). An engine whose tasks run on a copy made elsewhere (mpi's ranks) makes the copy
// from it; the planner gives it to every engine it makes.
struct WorkloadRecipe {
  std::string workload;
  std::map<std::string, std::string> values;
};

// A recipe as bytes (CBOR: a value is carried byte for byte, even one that is not UTF-8, as a
// --cmd may be), and a workload made from such bytes; nullptr with *error set to why
// (an unknown workload, a bad parameter).
std::string RecipeText(const WorkloadRecipe& recipe);
std::unique_ptr<Workload> MakeFromRecipe(std::string_view text, std::string* error);

}  // namespace concbench
