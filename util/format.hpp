// Human-readable figures and terminal colours, shared by the harness and the reporters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace concbench {

// "1.234 s", "12.3 ms", "45.6 µs": three significant digits in the largest fitting unit.
std::string FormatSeconds(double seconds);
// "12.3 MiB", "512 KiB", "100 B", up to EiB (beyond: more EiB).
std::string FormatBytes(double bytes);
// Display width in terminal columns: counts code points, not bytes (for "±", "…", "µ", "×").
std::size_t DisplayWidth(std::string_view text);

// ANSI colour codes.
inline constexpr const char* kBold = "\033[1m";
inline constexpr const char* kGreen = "\033[32m";
inline constexpr const char* kRed = "\033[31m";
inline constexpr const char* kYellow = "\033[33m";
inline constexpr const char* kReset = "\033[0m";

// Whether to colour output written to file descriptor `fd` under `setting` ("always", "never"
// or "auto": a terminal, unless NO_COLOR is set and not empty).
bool UseColor(std::string_view setting, int fd);

}  // namespace concbench
