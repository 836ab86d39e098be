#include "util/format.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>

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

bool UseColor(std::string_view setting, int fd) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return IsTerminal(fd) && (no_color == nullptr || *no_color == '\0');
}

}  // namespace concbench
