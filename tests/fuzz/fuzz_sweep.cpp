// `--sweep NAME=SPEC` (and a suite's "sweep"): each line of the input is one spec, read by
// ParseSweep; the specs that parse are combined by SweepGrid. Bad text must come back as an
// error; a spec that parses has at least one value and no empty one.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<concbench::Sweep> sweeps;
  std::size_t points = 1;
  for (std::size_t begin = 0; begin <= text.size() && sweeps.size() < 4;) {
    std::size_t end = text.find('\n', begin);
    std::string_view line = text.substr(begin, end == text.npos ? text.npos : end - begin);
    std::string why;
    std::optional<concbench::Sweep> sweep = concbench::ParseSweep(line, &why);
    if (sweep) {
      if (sweep->name.empty() || sweep->values.empty()) __builtin_trap();
      for (const std::string& value : sweep->values) {
        if (value.empty()) __builtin_trap();
      }
      concbench::IsVarSweep({{"var", std::string(text)}}, sweep->name);
      points *= sweep->values.size();
      sweeps.push_back(std::move(*sweep));
    } else if (why.empty()) {
      __builtin_trap();  // an error must say why
    }
    if (end == text.npos) break;
    begin = end + 1;
  }
  // The grid's size is the planner's to bound; SweepGrid builds what it is given.
  if (points <= 10000) concbench::SweepGrid(sweeps);
  return 0;
}
