// Reading a FIFO in a test without ever waiting for a writer that does not come.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace concbench::testing {

// What a reader of the FIFO at `path` gets until the writer closes it, or within 10 s. The
// reader opens without waiting for a writer, so a writer that never comes cannot hang the test.
inline std::string ReadFifo(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  std::string text;
  char buffer[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (fd >= 0 && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
    if (n == 0 && !text.empty()) break;  // the writer closed it
    if (n <= 0) ::usleep(10'000);
  }
  if (fd >= 0) ::close(fd);
  return text;
}

}  // namespace concbench::testing
