// The live progress bar of `run` on a terminal: one line on stderr, redrawn a few times a
// second from its own thread, cut to the terminal's width, cleared at the end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/plan.hpp"
#include "core/progress.hpp"

namespace concbench {

// The progress line for `progress` at `now`: "[2/6] repetition 3/5 · tasks 40/100 · 12 s
// elapsed · ETA 41 s · sleep on asio".
std::string ProgressText(const Progress& progress, Progress::Clock::time_point now);

// `line` cut to at most `columns` terminal columns (each UTF-8 character taken as one), ending
// in "…" when cut.
std::string FitToWidth(const std::string& line, std::size_t columns);

// "0.4 s", "12 s", "3 min 05 s", "2 h 05 min": a duration at the precision a person reads.
std::string FormatClock(double seconds);

// True when a progress bar belongs on file descriptor `fd`: a terminal, not --quiet, and not
// in CI (the environment variable CI set and not "false" or "0").
bool WantProgressBar(int fd, bool quiet);

class ProgressBar;

// The progress bar on stderr, redrawn four times a second, when WantProgressBar; else null.
std::unique_ptr<ProgressBar> ProgressBarOnStderr(bool quiet);

// True when a run lets its commands' own output through to the terminal (exec's --show-output),
// which a progress display would garble.
bool ShowsOutput(const std::vector<RunSpec>& specs);

class ProgressBar {
 public:
  // Draws on `stream` every `every`, each line cut to `columns()` - 1 columns (the last column
  // left empty so that no terminal wraps it).
  ProgressBar(std::FILE* stream, std::function<std::size_t()> columns,
              std::chrono::milliseconds every);
  // Stops the redrawing and clears the line.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The state to show from now on; drawn at once.
  void Show(const Progress& progress);

  // The terminal's width in columns for `fd` (TIOCGWINSZ), else $COLUMNS, else 80.
  static std::size_t TerminalColumns(int fd);

 private:
  void Draw();  // with mutex_ held

  std::FILE* stream_;
  std::function<std::size_t()> columns_;
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  bool shown_ = false;
  Progress progress_;
  std::thread ticker_;  // empty when the OS refused it: then drawn on Show only
};

}  // namespace concbench
