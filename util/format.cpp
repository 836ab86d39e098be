#include "util/format.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <sstream>
#include <vector>

#include "util/os.hpp"

namespace concbench {
namespace {

// Three significant digits of `value` followed by `unit`.
std::string ThreeDigits(double value, const char* unit) {
  int decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return fmt::format("{:.{}f} {}", value, decimals, unit);
}

}  // namespace

std::string FormatSeconds(double seconds) {
  double magnitude = std::fabs(seconds);
  if (magnitude >= 1 || magnitude == 0) return ThreeDigits(seconds, "s");
  if (magnitude >= 1e-3) return ThreeDigits(seconds * 1e3, "ms");
  if (magnitude >= 1e-6) return ThreeDigits(seconds * 1e6, "µs");
  return ThreeDigits(seconds * 1e9, "ns");
}

TimeUnit ParseTimeUnit(std::string_view word) {
  if (word == "s") return TimeUnit::kSeconds;
  if (word == "ms") return TimeUnit::kMilliseconds;
  if (word == "us") return TimeUnit::kMicroseconds;
  if (word == "ns") return TimeUnit::kNanoseconds;
  return TimeUnit::kAuto;
}

std::string FormatSeconds(double seconds, TimeUnit unit) {
  double value = seconds;
  const char* name = "s";
  switch (unit) {
    case TimeUnit::kAuto:
      return FormatSeconds(seconds);
    case TimeUnit::kSeconds:
      break;
    case TimeUnit::kMilliseconds:
      value *= 1e3, name = "ms";
      break;
    case TimeUnit::kMicroseconds:
      value *= 1e6, name = "µs";
      break;
    case TimeUnit::kNanoseconds:
      value *= 1e9, name = "ns";
      break;
  }
  double magnitude = std::fabs(value);
  if (magnitude >= 1 || magnitude == 0 || !std::isfinite(magnitude)) {
    return ThreeDigits(value, name);
  }
  // Below one unit: three significant digits ("0.0123 ms"), nine decimals at most.
  int decimals = std::min(9, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
  return fmt::format("{:.{}f} {}", value, decimals, name);
}

std::string FormatBytes(double bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (!std::isfinite(bytes)) return fmt::format("{} B", bytes);
  if (bytes < 1024.0) return fmt::format("{:.0f} B", bytes);
  double value = bytes / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return ThreeDigits(value, kUnits[unit]);
}

std::size_t DisplayWidth(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string WrapText(const std::string& text, std::size_t width, std::size_t indent) {
  std::istringstream split(text);
  std::vector<std::string> words;
  for (std::string word; split >> word;) {
    // A word longer than a line (a list of values) breaks after its commas.
    while (word.size() > width && word.find(',') != std::string::npos) {
      std::size_t comma = word.rfind(',', width - 1);
      if (comma == std::string::npos) comma = word.find(',');
      words.push_back(word.substr(0, comma + 1));
      word.erase(0, comma + 1);
    }
    words.push_back(word);
  }
  std::string out, line;
  for (const std::string& word : words) {
    if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

std::size_t TerminalColumns(int fd) {
  if (IsTerminal(fd)) {
    winsize size{};
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  }
  const char* columns = std::getenv("COLUMNS");
  std::string_view text = columns != nullptr ? columns : "";
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size() && value > 0) return value;
  return 0;
}

bool UseColor(std::string_view setting, int fd) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return IsTerminal(fd) && (no_color == nullptr || *no_color == '\0');
}

}  // namespace concbench
