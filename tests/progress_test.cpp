#include "cli/progress.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

#include "engines/registry.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

// Characters as a terminal counts them: one per UTF-8 character.
std::size_t Columns(const std::string& text) {
  std::size_t columns = 0;
  for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return columns;
}

TEST(Progress, FitToWidthCutsWholeCharactersAndSaysSo) {
  EXPECT_EQ(FitToWidth("short", 80), "short");
  EXPECT_EQ(FitToWidth("abcdef", 6), "abcdef");
  EXPECT_EQ(FitToWidth("abcdefg", 6), "abcde…");
  std::string dotted = "a · b · c · d";  // "·" is two bytes, one column
  EXPECT_EQ(FitToWidth(dotted, 13), dotted);
  std::string cut = FitToWidth(dotted, 5);
  EXPECT_EQ(cut, "a · …");
  EXPECT_EQ(Columns(cut), 5u);
  EXPECT_EQ(FitToWidth("abc", 1), "…");
  EXPECT_EQ(FitToWidth("abc", 0), "");
}

TEST(Progress, ClockReadsAsAPersonWouldSayIt) {
  EXPECT_EQ(FormatClock(0), "0.0 s");
  EXPECT_EQ(FormatClock(9.96), "9.9 s");
  EXPECT_EQ(FormatClock(12.7), "12 s");
  EXPECT_EQ(FormatClock(185), "3 min 05 s");
  EXPECT_EQ(FormatClock(7500), "2 h 05 min");
  EXPECT_EQ(FormatClock(-1), "0.0 s");
}

Progress Sample(const Engine* engine) {
  auto now = Progress::Clock::now();
  Progress progress;
  progress.point = 2;
  progress.points = 6;
  progress.label = "sleep on asio";
  progress.step = "repetition 3/5";
  progress.started = now - 12s;
  progress.step_started = now - 4s;
  progress.seconds_left = 10;
  progress.engine = engine;
  progress.tasks = 100;
  return progress;
}

TEST(Progress, TheLineSaysWhereTheRunStandsAndCountsTheEstimateDown) {
  auto engine = FindEngine("sequential")->make(Params());
  Progress progress = Sample(engine.get());
  std::string line = ProgressText(progress, Progress::Clock::now());
  EXPECT_EQ(line.rfind("[2/6] repetition 3/5 · tasks 0/100 · 12 s elapsed · ETA ", 0), 0u) << line;
  EXPECT_TRUE(line.ends_with(" · sleep on asio")) << line;
  EXPECT_NE(line.find("ETA 5."), std::string::npos) << line;  // 10 s estimated, 4 s ago
  progress.step_started -= 20s;                               // the step outlasted its estimate
  EXPECT_NE(ProgressText(progress, Progress::Clock::now()).find("ETA …"), std::string::npos);
  progress.engine = nullptr;  // between runs: no task count
  EXPECT_EQ(ProgressText(progress, Progress::Clock::now()).find("tasks"), std::string::npos);
}

TEST(Progress, TheBarRedrawsOnItsOwnWithinTheWidthAndClearsAtTheEnd) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  auto engine = FindEngine("sequential")->make(Params());
  {
    ProgressBar bar(
        file, [] { return std::size_t{40}; }, 10ms);
    bar.Show(Sample(engine.get()));
    // Redrawn without another Show: at least three draws, given up to 10 s on a loaded machine.
    for (int i = 0; i < 1000; ++i) {
      std::fflush(file);
      if (std::ftell(file) > 3 * 45) break;
      std::this_thread::sleep_for(10ms);
    }
  }
  std::rewind(file);
  std::string text;
  for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
  std::fclose(file);
  const std::string clear = "\r\033[K";
  std::size_t draws = 0;
  for (std::size_t at = text.find(clear); at != std::string::npos; at = text.find(clear, at + 1)) {
    std::size_t next = text.find(clear, at + clear.size());
    std::string line =
        text.substr(at + clear.size(),
                    next == std::string::npos ? std::string::npos : next - at - clear.size());
    EXPECT_LE(Columns(line), 39u) << line;
    ++draws;
  }
  EXPECT_GE(draws, 4u) << "three redraws and the final clear";
  EXPECT_TRUE(text.ends_with(clear)) << "the line is cleared at the end";
}

TEST(Progress, TheBarIsForATerminalOutsideCiOnly) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  const char* ci = std::getenv("CI");
  std::string saved = ci ? ci : "";
  ::unsetenv("CI");
  EXPECT_TRUE(WantProgressBar(terminal, false));
  EXPECT_FALSE(WantProgressBar(terminal, true)) << "--quiet";
  ::setenv("CI", "true", 1);
  EXPECT_FALSE(WantProgressBar(terminal, false)) << "CI=true";
  ::setenv("CI", "false", 1);
  EXPECT_TRUE(WantProgressBar(terminal, false)) << "CI=false";
  if (ci) {
    ::setenv("CI", saved.c_str(), 1);
  } else {
    ::unsetenv("CI");
  }
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  EXPECT_FALSE(WantProgressBar(pipe_ends[1], false)) << "not a terminal";
  for (int fd : {terminal, master, pipe_ends[0], pipe_ends[1]}) ::close(fd);
}

}  // namespace
}  // namespace concbench
