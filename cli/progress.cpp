#include "cli/progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <system_error>

#include "engines/engine.hpp"
#include "util/os.hpp"

namespace concbench {

std::string FormatClock(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  if (seconds < 10) return fmt::format("{:.1f} s", std::floor(seconds * 10) / 10);
  auto whole = static_cast<long long>(seconds);
  if (whole < 60) return fmt::format("{} s", whole);
  if (whole < 3600) return fmt::format("{} min {:02} s", whole / 60, whole % 60);
  return fmt::format("{} h {:02} min", whole / 3600, whole / 60 % 60);
}

std::string ProgressText(const Progress& progress, Progress::Clock::time_point now) {
  double elapsed = std::chrono::duration<double>(now - progress.started).count();
  double in_step = std::chrono::duration<double>(now - progress.step_started).count();
  // The figures first and the point's label last, so that a narrow terminal cuts the label.
  std::string line = fmt::format("[{}/{}] {}", progress.point, progress.points, progress.step);
  if (progress.engine != nullptr && progress.tasks > 0) {
    line += fmt::format(" · tasks {}/{}", progress.engine->tasks_finished(), progress.tasks);
  }
  line += fmt::format(" · {} elapsed", FormatClock(elapsed));
  // The estimate made when the step began, counted down; once the step outlasts it, unknown.
  double left = progress.seconds_left - in_step;
  line += progress.seconds_left < 0 || left < 0 ? " · ETA …" : " · ETA " + FormatClock(left);
  return line + " · " + progress.label;
}

std::string FitToWidth(const std::string& line, std::size_t columns) {
  if (columns == 0) return "";
  // Byte offsets where each UTF-8 character starts.
  std::size_t characters = 0, cut = line.size(), keep = columns - 1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (characters == keep) cut = i;
    ++characters;
  }
  if (characters <= columns) return line;
  return line.substr(0, cut) + "…";
}

bool WantProgressBar(int fd, bool quiet) {
  if (quiet || !IsTerminal(fd)) return false;
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return true;
  std::string_view value(ci);
  return value.empty() || value == "false" || value == "0";
}

std::unique_ptr<ProgressBar> ProgressBarOnStderr(bool quiet) {
  if (!WantProgressBar(STDERR_FILENO, quiet)) return nullptr;
  return std::make_unique<ProgressBar>(
      stderr, [] { return ProgressBar::TerminalColumns(STDERR_FILENO); },
      std::chrono::milliseconds(250));
}

std::size_t ProgressBar::TerminalColumns(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    long value = std::strtol(columns, nullptr, 10);
    if (value > 0 && value < 10000) return static_cast<std::size_t>(value);
  }
  return 80;
}

ProgressBar::ProgressBar(std::FILE* stream, std::function<std::size_t()> columns,
                         std::chrono::milliseconds every)
    : stream_(stream), columns_(std::move(columns)), every_(every) {
  try {
    ticker_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      while (!wake_.wait_for(lock, every_, [this] { return done_; })) {
        if (shown_) Draw();
      }
    });
  } catch (const std::system_error&) {  // no thread: drawn at each Show only
  }
}

ProgressBar::~ProgressBar() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  if (ticker_.joinable()) ticker_.join();
  if (shown_) {
    std::fputs("\r\033[K", stream_);
    std::fflush(stream_);
  }
}

void ProgressBar::Show(const Progress& progress) {
  std::lock_guard lock(mutex_);
  progress_ = progress;
  shown_ = true;
  Draw();
}

void ProgressBar::Draw() {
  std::size_t columns = columns_();
  std::string line =
      FitToWidth(ProgressText(progress_, Progress::Clock::now()), columns > 1 ? columns - 1 : 1);
  std::fputs(("\r\033[K" + line).c_str(), stream_);
  std::fflush(stream_);
}

bool ShowsOutput(const std::vector<RunSpec>& specs) {
  return std::any_of(specs.begin(), specs.end(), [](const RunSpec& spec) {
    auto value = spec.values.find("show-output");
    return value != spec.values.end() && value->second == "true";
  });
}

}  // namespace concbench
