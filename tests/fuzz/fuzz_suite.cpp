// A suite file (`run --suite FILE`), read by ParseSuite (what LoadSuite reads a file with). Bad
// text must come back as an error; any exception, crash or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/suite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  if (!concbench::ParseSuite(text, "suite.json", std::nullopt, {}, &error) && error.empty()) {
    __builtin_trap();  // an error must say why
  }
  return 0;
}
