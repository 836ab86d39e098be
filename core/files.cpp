#include "core/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "core/json_reader.hpp"
#include "results/comparison.hpp"
#include "results/json.hpp"
#include "results/statistics.hpp"

namespace concbench {
namespace {

// Where a write to a path goes.
struct Destination {
  bool through = false;  // open and write the file as it is (a device, a FIFO, our own stdout)
  std::string file;      // the file to replace or to open
  int fd = -1;           // for our own stdout or stderr: that descriptor
};

std::string CannotWrite(const std::string& path, int reason) {
  return fmt::format("cannot write '{}': {}", path, ::strerror(reason));
}

// The final target of the dangling symlink `path` (a file to create), or "" with *error.
std::string DanglingTarget(std::string path, std::string* error) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    std::error_code ec;
    std::filesystem::path link = std::filesystem::read_symlink(path, ec);
    if (ec) {
      *error = fmt::format("cannot write '{}': {}", path, ec.message());
      return "";
    }
    path = (std::filesystem::path(path).parent_path() / link).string();
  }
  *error = CannotWrite(path, ELOOP);
  return "";
}

// Regular files (or a new path) are replaced, symlinks' targets in their place; character
// devices and FIFOs are written through. Anything else is refused with *error.
std::optional<Destination> Resolve(const std::string& path, std::string* error) {
  if (path.empty()) {
    *error = "an empty path";
    return std::nullopt;
  }
  struct stat st, link;
  if (::stat(path.c_str(), &st) != 0) {
    int reason = errno;
    if (reason != ENOENT) {
      *error = CannotWrite(path, reason);
      return std::nullopt;
    }
    std::string file = DanglingTarget(path, error);
    if (file.empty()) return std::nullopt;
    return Destination{false, file, -1};
  }
  if (S_ISDIR(st.st_mode)) {
    *error = fmt::format("'{}' is a directory", path);
    return std::nullopt;
  }
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return Destination{true, path, -1};
  if (!S_ISREG(st.st_mode)) {
    *error = fmt::format("'{}' is not a regular file, a character device or a FIFO", path);
    return std::nullopt;
  }
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {  // e.g. /dev/stdout redirected to a file
    struct stat own;
    if (::fstat(fd, &own) == 0 && own.st_dev == st.st_dev && own.st_ino == st.st_ino) {
      return Destination{true, path, fd};
    }
  }
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    std::error_code ec;
    std::filesystem::path target = std::filesystem::canonical(path, ec);
    if (ec) {
      *error = fmt::format("cannot write '{}': {}", path, ec.message());
      return std::nullopt;
    }
    return Destination{false, target.string(), -1};
  }
  return Destination{false, path, -1};
}

// Creates a unique temporary file beside `path`; returns its fd and sets *temp, or -1.
int CreateTempBeside(const std::string& path, std::string* temp, std::string* error) {
  std::filesystem::path target(path);
  std::string pattern =
      (target.has_parent_path() ? target.parent_path() / "" : std::filesystem::path()).string() +
      "." + target.filename().string() + ".XXXXXX";
  int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = CannotWrite(path, errno);
    return -1;
  }
  *temp = pattern;
  return fd;
}

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int WriteAll(int fd, const std::string& content) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Writes `content` into the device, FIFO or descriptor of `to`, as it is.
std::string WriteThrough(const std::string& path, const Destination& to,
                         const std::string& content) {
  std::fflush(nullptr);  // what went to stdout before comes first
  int fd = to.fd;
  if (fd < 0) {
    // Non-blocking open: a FIFO nobody reads is an error, not a wait without end.
    fd = ::open(to.file.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ENXIO) {
      return fmt::format("cannot write '{}': no process has the FIFO open for reading", path);
    }
    if (fd < 0) return CannotWrite(path, errno);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  }
  int reason = WriteAll(fd, content);
  if (fd != to.fd && ::close(fd) != 0 && reason == 0) reason = errno;
  return reason == 0 ? "" : CannotWrite(path, reason);
}

// Writes `content` to a temporary file beside `file` and renames it over `file`, keeping an
// existing file's permissions.
std::string ReplaceAtomically(const std::string& path, const std::string& file,
                              const std::string& content) {
  std::string temp, error;
  int fd = CreateTempBeside(file, &temp, &error);
  if (fd < 0) return error;
  struct stat old;
  mode_t mode = ::stat(file.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644;
  int reason = WriteAll(fd, content);
  if (reason == 0 && ::fchmod(fd, mode) != 0) reason = errno;
  if (reason == 0 && ::fsync(fd) != 0) reason = errno;
  if (::close(fd) != 0 && reason == 0) reason = errno;
  if (reason == 0 && ::rename(temp.c_str(), file.c_str()) != 0) reason = errno;
  if (reason == 0) return "";
  ::unlink(temp.c_str());
  return CannotWrite(path, reason);
}

// Marks the results a failed claim of the file's suite was about as not verified, naming it.
void MarkFailedClaims(const nlohmann::json& document, std::vector<Result>& results) {
  if (!document.contains("expectations") || !document["expectations"].is_array()) return;
  for (const nlohmann::json& claim : document["expectations"]) {
    if (!claim.is_object() || !claim.contains("passed") || claim["passed"] != false) continue;
    auto text = [&](const char* key) {
      return claim.contains(key) && claim[key].is_string() ? claim[key].get<std::string>() : "";
    };
    std::string reason = fmt::format("claim failed: {}: {} expected {}, measured {}", text("claim"),
                                     text("metric"), text("expected"), text("measured"));
    for (Result& r : results) {
      if (r.run != text("run") || (!text("engine").empty() && r.engine != text("engine"))) {
        continue;
      }
      r.verified = false;
      if (r.unverified_reason.empty()) r.unverified_reason = reason;
    }
  }
}

}  // namespace

std::string WriteOutputFile(const std::string& path, const std::string& content) {
  std::string error;
  std::optional<Destination> to = Resolve(path, &error);
  if (!to) return error;
  return to->through ? WriteThrough(path, *to, content)
                     : ReplaceAtomically(path, to->file, content);
}

bool WritesThrough(const std::string& path) {
  std::string error;
  std::optional<Destination> to = Resolve(path, &error);
  return to && to->through;
}

std::string OutputIdentity(const std::string& path) {
  if (path == "-") return "fd:1";
  std::string error;
  std::optional<Destination> to = Resolve(path, &error);
  if (!to) return "";
  if (to->fd >= 0) return fmt::format("fd:{}", to->fd);
  struct stat st, own;
  if (::stat(to->file.c_str(), &st) == 0) {
    if (::fstat(STDOUT_FILENO, &own) == 0 && own.st_dev == st.st_dev && own.st_ino == st.st_ino) {
      return "fd:1";  // the terminal, pipe or file that is our stdout
    }
    if (S_ISCHR(st.st_mode)) return "";  // a sink
    return fmt::format("file:{}:{}", st.st_dev, st.st_ino);
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(to->file, ec);
  if (ec) return "";
  return "path:" + std::filesystem::weakly_canonical(absolute, ec).lexically_normal().string();
}

std::string CheckWritable(const std::string& path) {
  std::string error;
  std::optional<Destination> to = Resolve(path, &error);
  if (!to) return error;
  if (to->through) {
    if (to->fd < 0 && ::access(to->file.c_str(), W_OK) != 0) return CannotWrite(path, errno);
    return "";
  }
  std::string temp;
  int fd = CreateTempBeside(to->file, &temp, &error);
  if (fd < 0) return error;
  ::close(fd);
  ::unlink(temp.c_str());
  return "";
}

std::optional<std::vector<Result>> ResultsFromText(std::string_view text, const std::string& name,
                                                   Metric metric, std::string* error) {
  std::optional<nlohmann::json> document = ParseJsonText(text, name, error);
  if (!document) return std::nullopt;
  std::string why;
  std::optional<std::vector<Result>> results;
  try {
    results = ResultsFromJson(*document, &why);
  } catch (const nlohmann::json::exception& e) {  // a value of an unexpected type
    why = e.what();
  }
  if (!results) {
    *error = fmt::format("{}: {}", name, why);
    return std::nullopt;
  }
  MarkFailedClaims(*document, *results);
  for (std::size_t i = 0; i < results->size(); ++i) {
    (*results)[i].wall = Summarize((*results)[i].times);
    // A result that is not verified pairs as not comparable, with or without samples.
    if ((*results)[i].verified && Samples((*results)[i], metric).empty()) {
      *error = fmt::format("{}: results[{}]: has no samples of the {} metric", name, i,
                           MetricName(metric));
      return std::nullopt;
    }
  }
  return results;
}

std::optional<std::vector<Result>> LoadResults(const std::string& path, Metric metric,
                                               std::string* error) {
  std::optional<std::string> text = ReadTextFile(path, error);
  if (!text) return std::nullopt;
  return ResultsFromText(*text, path, metric, error);
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
