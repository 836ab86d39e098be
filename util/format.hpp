// Human-readable figures and terminal colours, shared by the harness and the reporters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace concbench {

// "1.234 s", "12.3 ms", "45.6 µs": three significant digits in the largest fitting unit.
std::string FormatSeconds(double seconds);

// The unit times are shown in (--time-unit): the largest fitting one, or one for all.
enum class TimeUnit { kAuto, kSeconds, kMilliseconds, kMicroseconds, kNanoseconds };
// "auto", "s", "ms", "us" or "ns" as a TimeUnit; kAuto for anything else.
TimeUnit ParseTimeUnit(std::string_view word);
// FormatSeconds for kAuto; else `seconds` in `unit` with three significant digits or more
// ("1500 ms", "0.0123 ms").
std::string FormatSeconds(double seconds, TimeUnit unit);
// "12.3 MiB", "512 KiB", "100 B", up to EiB (beyond: more EiB).
std::string FormatBytes(double bytes);
// Display width in terminal columns: counts code points, not bytes (for "±", "…", "µ", "×").
std::size_t DisplayWidth(std::string_view text);

// `text` wrapped at spaces into lines of at most `width` characters (a longer word stays whole,
// but a list of values breaks after its commas), every line after the first indented by
// `indent` spaces.
std::string WrapText(const std::string& text, std::size_t width, std::size_t indent);

// The width of the terminal that file descriptor `fd` writes to (TIOCGWINSZ); when it is not a
// terminal, $COLUMNS when that is a positive number; else 0 (unknown: a pipe or a file).
std::size_t TerminalColumns(int fd);

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
