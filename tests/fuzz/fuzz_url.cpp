// `--url` of the http workload, read by ParseHttpUrl. Bad text must come back as ParamError; a
// URL that parses names a host, a port from 1 and a request target that starts with '/' and
// holds no space or control character, nor does the Host header (both are written as they are).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "concbench/params.hpp"
#include "workloads/http.hpp"

namespace {

void Check(const concbench::HttpUrl& url) {
  if (url.host.empty() || url.port == 0 || url.target.empty() || url.target[0] != '/') {
    __builtin_trap();
  }
  for (const std::string* line : {&url.target, &url.host_header}) {
    for (char c : *line) {
      if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    Check(concbench::ParseHttpUrl(text));
  } catch (const concbench::ParamError&) {
  }
  return 0;
}
