#include "core/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "reports/comparison.hpp"
#include "reports/json.hpp"
#include "reports/statistics.hpp"

namespace concbench {
namespace {

// Creates a unique temporary file beside `path`; returns its fd and sets *temp, or -1.
int CreateTempBeside(const std::string& path, std::string* temp, std::string* error) {
  std::filesystem::path target(path);
  std::error_code ignored;
  if (std::filesystem::is_directory(target, ignored)) {
    *error = fmt::format("'{}' is a directory", path);
    return -1;
  }
  std::string pattern =
      (target.has_parent_path() ? target.parent_path() / "" : std::filesystem::path()).string() +
      "." + target.filename().string() + ".XXXXXX";
  int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = fmt::format("cannot write '{}': {}", path, ::strerror(errno));
    return -1;
  }
  *temp = pattern;
  return fd;
}

}  // namespace

std::string WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temp, error;
  int fd = CreateTempBeside(path, &temp, &error);
  if (fd < 0) return error;
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = fmt::format("cannot write '{}': {}", path, ::strerror(errno));
      break;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (error.empty() && ::fchmod(fd, 0644) != 0) {
    error = fmt::format("cannot write '{}': {}", path, ::strerror(errno));
  }
  if (error.empty() && ::fsync(fd) != 0) {
    error = fmt::format("cannot write '{}': {}", path, ::strerror(errno));
  }
  ::close(fd);
  if (error.empty() && ::rename(temp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot write '{}': {}", path, ::strerror(errno));
  }
  if (!error.empty()) ::unlink(temp.c_str());
  return error;
}

std::string CheckWritable(const std::string& path) {
  std::string temp, error;
  int fd = CreateTempBeside(path, &temp, &error);
  if (fd < 0) return error;
  ::close(fd);
  ::unlink(temp.c_str());
  return "";
}

// The results in `path`, or nullopt with *error naming the file, where and why.
std::optional<std::vector<Result>> LoadResults(const std::string& path, Metric metric,
                                               std::string* error) {
  std::ifstream file(path);
  if (!file) {
    *error = fmt::format("{}: cannot be read", path);
    return std::nullopt;
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& e) {
    *error = fmt::format("{}: not valid JSON: {}", path, e.what());
    return std::nullopt;
  }
  std::string why;
  std::optional<std::vector<Result>> results = ResultsFromJson(document, &why);
  if (!results) {
    *error = fmt::format("{}: {}", path, why);
    return std::nullopt;
  }
  for (std::size_t i = 0; i < results->size(); ++i) {
    (*results)[i].wall = Summarize((*results)[i].times);
    if (Samples((*results)[i], metric).empty()) {
      *error = fmt::format("{}: results[{}]: has no samples of the {} metric", path, i,
                           MetricName(metric));
      return std::nullopt;
    }
  }
  return results;
}

std::string BaselinePath(const std::string& dir, const std::string& name, std::string* why) {
  bool valid = !name.empty() && name.size() <= 100 && name[0] != '.' &&
               name.find_first_not_of(
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789._-") == std::string::npos;
  if (!valid) {
    *why = fmt::format(
        "'{}' is not a baseline name (letters, digits, '.', '_' and '-', not "
        "starting with '.')",
        name);
    return "";
  }
  return (std::filesystem::path(dir) / (name + ".json")).string();
}

}  // namespace concbench
