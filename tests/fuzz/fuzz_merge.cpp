// `concbench merge` over hostile results files: the input is up to three files separated by a
// line "---", merged by MergeResultsFiles with the options of the first byte's low bits. A file
// or a set of files that cannot be merged must come back as an error that names why, never a
// crash, a leak or an exception; what merges holds no more results than the text could.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/merge.hpp"

namespace {

// Three in-memory files (memfd), made once and read back through /proc/self/fd: nothing is
// left on disk however the fuzzer ends.
std::string WriteFile(int i, std::string_view text) {
  static int fds[3] = {-1, -1, -1};
  if (fds[i] < 0) fds[i] = ::memfd_create("fuzz_merge", 0);
  if (fds[i] < 0 || ::ftruncate(fds[i], 0) != 0) std::abort();
  if (::pwrite(fds[i], text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    std::abort();
  }
  return "/proc/self/fd/" + std::to_string(fds[i]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  concbench::MergeOptions options;
  if (!text.empty()) {
    options.allow_different_builds = (text[0] & 1) != 0;
    options.allow_different_suites = (text[0] & 2) != 0;
    options.allow_overlap = (text[0] & 4) != 0;
    text.remove_prefix(1);
  }
  std::vector<std::string> paths;
  for (std::size_t begin = 0; paths.size() < 3;) {
    std::size_t end = text.find("\n---\n", begin);
    std::string path = WriteFile(static_cast<int>(paths.size()),
                                 text.substr(begin, end == text.npos ? text.npos : end - begin));
    paths.push_back(path);
    if (end == text.npos) break;
    begin = end + 5;
  }
  std::string error;
  std::optional<concbench::MergedResults> merged =
      concbench::MergeResultsFiles(paths, options, &error);
  if (!merged) {
    if (error.empty()) __builtin_trap();  // a refusal says why
    return 0;
  }
  if (!error.empty()) __builtin_trap();
  if (merged->results.size() > text.size()) __builtin_trap();  // each result takes some text
  return 0;
}
