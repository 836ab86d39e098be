// What `compare` reads: a results or baseline file's text, read by ResultsFromText (what
// LoadResults reads a file with) for each metric. Bad text must come back as an error; any
// exception, crash or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using concbench::Metric;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (Metric metric : {Metric::kWall, Metric::kUser, Metric::kSystem, Metric::kPeakRss}) {
    std::string error;
    if (!concbench::ResultsFromText(text, "results.json", metric, &error) && error.empty()) {
      __builtin_trap();  // an error must say why
    }
  }
  return 0;
}
