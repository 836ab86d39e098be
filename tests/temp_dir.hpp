// A fresh temporary folder for one test, removed with what it holds.
#pragma once

#include <stdlib.h>

#include <cstddef>
#include <filesystem>
#include <string>

namespace concbench::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "concbench-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the folder, as text (for parameters).
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  // Files and folders below it, at any depth.
  std::size_t entries() const {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::recursive_directory_iterator(path_)) {
      ++count;
    }
    return count;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace concbench::testing
