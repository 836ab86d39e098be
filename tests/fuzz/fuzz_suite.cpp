// A suite file (`run --suite FILE`), read by LoadSuite. LoadSuite takes a path, so each input is
// written to an in-memory file (memfd) read through /proc/self/fd. Bad text must come back as an
// error; any other exception, crash or sanitizer report is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/suite.hpp"

namespace {

// The path of an in-memory file holding exactly `size` bytes of `data`.
std::string InMemoryFile(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("suite.json", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0) __builtin_trap();
  std::size_t written = 0;
  while (written < size) {
    ssize_t n = pwrite(fd, data + written, size - written, static_cast<off_t>(written));
    if (n <= 0) __builtin_trap();
    written += static_cast<std::size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  concbench::LoadSuite(InMemoryFile(data, size), std::nullopt, {}, &error);
  return 0;
}
