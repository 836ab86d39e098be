#include "core/json_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace concbench {
namespace {

using nlohmann::json;

// "line L, column C" of byte `offset` of `text` (both from 1).
std::string Place(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return fmt::format("line {}, column {}", line, offset - line_start + 1);
}

// The offset of the first '[' or '{' (outside strings) that opens level kMaxJsonDepth + 1, or
// npos. Runs before any parser recurses, so a hostile depth costs one linear scan.
std::size_t TooDeepAt(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

// Checks the syntax without building anything; keeps the first error with its place.
struct Checker : nlohmann::json_sax<json> {
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& e) override {
    if (e.id == 406) {  // a number beyond a double: the position is just past it
      std::size_t start = position >= last_token.size() ? position - last_token.size() : 0;
      error = fmt::format("{}: the number {} is beyond the range of a double", Place(text, start),
                          last_token);
    } else {
      std::string what = e.what();
      std::size_t prefix = what.find("] ");
      error = "not valid JSON: " + (prefix == std::string::npos ? what : what.substr(prefix + 2));
    }
    return false;
  }

  std::string_view text;
  std::string error;
};

}  // namespace

std::optional<json> ParseJsonText(std::string_view text, const std::string& name,
                                  std::string* error) {
  if (std::size_t at = TooDeepAt(text); at != std::string_view::npos) {
    *error =
        fmt::format("{}: {}: nested deeper than {} levels", name, Place(text, at), kMaxJsonDepth);
    return std::nullopt;
  }
  Checker checker;
  checker.text = text;
  try {
    if (!json::sax_parse(text, &checker) || !checker.error.empty()) {
      *error = fmt::format("{}: {}", name, checker.error);
      return std::nullopt;
    }
    return json::parse(text);
  } catch (const json::exception& e) {  // not expected after the check; never escapes
    *error = fmt::format("{}: not valid JSON: {}", name, e.what());
    return std::nullopt;
  }
}

std::optional<std::string> ReadTextFile(const std::string& path, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  std::string text;
  char buffer[65536];
  ssize_t n = fd < 0 ? -1 : 1;
  struct stat st;
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::uint64_t>(st.st_size) > kMaxTextFileBytes) {
    n = 0;  // refused below without reading
    text.resize(kMaxTextFileBytes + 1);
  }
  while (n > 0 && text.size() <= kMaxTextFileBytes) {
    n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      n = 1;
    } else if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
  }
  int reason = errno;
  if (fd >= 0) ::close(fd);
  if (n < 0) {
    *error = fmt::format("{}: cannot be read: {}", path, std::strerror(reason));
    return std::nullopt;
  }
  if (text.size() > kMaxTextFileBytes) {  // e.g. /dev/zero
    *error = fmt::format("{}: larger than {} MiB", path, kMaxTextFileBytes >> 20);
    return std::nullopt;
  }
  return text;
}

}  // namespace concbench
