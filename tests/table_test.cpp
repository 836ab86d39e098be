#include "reports/table.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "results/statistics.hpp"
#include "tests/golden_results.hpp"
#include "tests/sample_result.hpp"
#include "util/format.hpp"

namespace concbench {
namespace {

using testing::SampleResult;

// A run column (B has a run name), no parameters column (no parameter varies within a
// workload), command columns (B's tasks ran commands), widths counted in code points, then
// metrics, warnings and problems per result.
TEST(Table, GoldenOutputWithRunsMetricsAndWarnings) {
  std::ostringstream out;
  WriteTable(out, testing::GoldenResults(), {.color = false, .verbose = true});
  EXPECT_EQ(out.str(),
            "run   workload  engine      median ± stddev        min … max             relative  eff"
            "iciency     user      sys  peak RSS  cmd CPU   cmd RSS                            task"
            "s (all runs)  verified\n"
            "      sleep     sequential  500 ms ± 250 ms  250 ms … 750 ms            reference     "
            "  60.0%   125 ms   125 ms  4.00 MiB        —         —                                "
            "       12 ok       yes\n"
            "fast  primes    pool        250 ms ± 125 ms  125 ms … 375 ms  2.50 ± 0.25× slower     "
            "  80.0%  62.5 ms  62.5 ms  1.50 KiB   750 ms  2.00 MiB  6 ok, 1 failed, 1 cancelled, 1"
            " not started        NO\n"
            "primes on pool: checked 3, method trial division\n"
            "warning: sleep on sequential: a warning\n"
            "primes on pool: task 1 failed: boom\n");
}

TEST(Table, GoldenOutput) {
  std::vector<Result> results = {SampleResult("sequential", 5.0), SampleResult("thread", 3.0)};
  results[1].verified = false;
  results[1].problems = {"task 1 failed: boom"};
  FillRelative(results, "", "sequential");
  std::ostringstream out;
  WriteTable(out, results, {.color = false});
  EXPECT_EQ(out.str(),
            "workload  engine      median ± stddev        min … max             relative  efficienc"
            "y     user      sys  peak RSS  tasks (all runs)  verified\n"
            "sleep     sequential  5.00 s ± 0.00 s  5.00 s … 5.00 s            reference       60.0"
            "%  1.00 ms  2.00 ms  4.00 MiB              4 ok       yes\n"
            "sleep     thread      3.00 s ± 0.00 s  3.00 s … 3.00 s  1.67 ± 0.00× faster      100.0"
            "%  1.00 ms  2.00 ms  4.00 MiB              4 ok        NO\n"
            "sleep on thread: task 1 failed: boom\n");
}

TEST(Table, FormatsUnits) {
  EXPECT_EQ(FormatSeconds(1.23456), "1.23 s");
  EXPECT_EQ(FormatSeconds(0.0123), "12.3 ms");
  EXPECT_EQ(FormatSeconds(0.000123), "123 µs");
  EXPECT_EQ(FormatSeconds(2e-8), "20.0 ns");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1536), "1.50 KiB");
  EXPECT_EQ(FormatBytes(5.0 * 1024 * 1024), "5.00 MiB");
  EXPECT_EQ(FormatBytes(5e12), "4.55 TiB");
  EXPECT_EQ(FormatBytes(9e18), "7.81 EiB");
}

// A file is no terminal: its width is $COLUMNS when that is a positive number, else unknown.
TEST(Table, TerminalColumnsOfAFileAreColumnsOrUnknown) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  int fd = fileno(file);
  const char* saved = std::getenv("COLUMNS");
  std::string kept = saved != nullptr ? saved : "";
  ::setenv("COLUMNS", "87", 1);
  EXPECT_EQ(TerminalColumns(fd), 87u);
  ::setenv("COLUMNS", "wide", 1);
  EXPECT_EQ(TerminalColumns(fd), 0u);
  ::unsetenv("COLUMNS");
  EXPECT_EQ(TerminalColumns(fd), 0u);
  if (saved != nullptr) ::setenv("COLUMNS", kept.c_str(), 1);
  std::fclose(file);
}

// The table at 100 and 80 columns: a realistic run (several workloads and engines, a sweep,
// long names, failures, warnings) keeps every line within the width, and the essentials.

// Three workloads on four engines (one with a long name), a workload swept over a delay, one
// result with failed, cancelled and unstarted tasks and a long problem, one with a warning.
std::vector<Result> RealisticResults() {
  std::vector<Result> results;
  const char* engines[] = {"sequential", "thread", "pool", "py-multiprocessing-pool"};
  const char* workloads[] = {"sleep", "http-keepalive-clients", "primes"};
  double median = 0.25;
  for (const char* workload : workloads) {
    for (const char* delay : {"1ms", "10ms"}) {
      if (std::string(workload) != "sleep" && std::string(delay) == "10ms") continue;
      for (const char* engine : engines) {
        Result r = SampleResult(engine, median);
        r.workload = workload;
        r.workload_parameters["delay"] = delay;
        r.wall.stddev = median / 30;
        r.relative = Relative{"sequential", 0.25 / median, 0.0123};
        results.push_back(r);
        median *= 1.3;
      }
    }
  }
  Result& failed = results[5];
  failed.verified = false;
  failed.tasks = {.total = 1000, .completed = 997, .failed = 1, .cancelled = 1, .pending = 1};
  failed.problems = {
      "task 17 failed: connection refused by 127.0.0.1:8080 after 3 attempts "
      "(the server closed the connection before it answered)"};
  results[2].warnings = {
      "the median moved by more than 10% between the first and the last "
      "third of the repetitions: the machine was busy"};
  results[3].efficiency.reset();
  results[3].efficiency_note = "no task completed";
  return results;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Table(const std::vector<Result>& results, std::size_t columns) {
  std::ostringstream out;
  WriteTable(out, results, {.color = false, .columns = columns});
  return out.str();
}

TEST(TableLayout, EveryLineFitsOneHundredColumns) {
  std::string table = Table(RealisticResults(), 100);
  for (const std::string& line : Lines(table)) EXPECT_LE(DisplayWidth(line), 100u) << line;
  EXPECT_NE(table.find("median ± stddev"), std::string::npos) << table;
  EXPECT_NE(table.find("relative"), std::string::npos) << table;
  EXPECT_NE(table.find("NO: 997 of 1000 ok"), std::string::npos) << table;
  EXPECT_EQ(Lines(table)[0].find("min … max"), std::string::npos) << table;
  EXPECT_NE(table.find("(--columns wide adds min … max, user, sys and peak RSS)"),
            std::string::npos)
      << table;
}

TEST(TableLayout, EveryLineFitsEightyColumns) {
  std::vector<Result> results = RealisticResults();
  std::string table = Table(results, 80);
  for (const std::string& line : Lines(table)) EXPECT_LE(DisplayWidth(line), 80u) << line;
  // Every result keeps its engine, median ± stddev, relative speed, efficiency and verdict.
  for (const Result& r : results) {
    EXPECT_NE(table.find(FormatSeconds(r.wall.median) + " ± " + FormatSeconds(r.wall.stddev)),
              std::string::npos)
        << table;
  }
  // A heading line per point; the longest engine name shortened to fit.
  EXPECT_NE(table.find("\nsleep delay=10ms\n  sequential "), std::string::npos) << table;
  EXPECT_NE(table.find("\nhttp-keepalive-clients\n  sequential "), std::string::npos) << table;
  EXPECT_NE(table.find("\n  py-multiprocess…  "), std::string::npos) << table;
  EXPECT_NE(table.find("1.30× slower"), std::string::npos) << table;
  EXPECT_NE(table.find("NO: 997 of 1000 ok"), std::string::npos) << table;
  EXPECT_NE(table.find("sleep on thread: task 17 failed"), std::string::npos) << table;
  EXPECT_NE(table.find("efficiency —: no task completed"), std::string::npos) << table;
}

TEST(TableLayout, WideKeepsEveryColumnHoweverLong) {
  std::vector<Result> results = RealisticResults();
  std::string table = Table(results, 0);
  std::vector<std::string> lines = Lines(table);
  for (const char* column :
       {"workload", "engine", "parameters", "median ± stddev", "min … max", "relative",
        "efficiency", "user", "sys", "peak RSS", "tasks (all runs)", "verified"}) {
    EXPECT_NE(lines[0].find(column), std::string::npos) << column << "\n" << table;
  }
  EXPECT_GT(DisplayWidth(lines[0]), 120u);
  EXPECT_NE(table.find("997 ok, 1 failed, 1 cancelled, 1 not started"), std::string::npos);
  EXPECT_EQ(table.find("--columns wide"), std::string::npos) << table;
}

// The golden results at 100 columns (the essential columns, one line each) and at 80 (a heading
// line per point), with the run, the failed tasks, warnings and problems.
TEST(TableLayout, GoldenAtOneHundredAndEightyColumns) {
  std::string tail =
      "(--columns wide adds min … max, user, sys, peak RSS, cmd CPU and cmd RSS)\n"
      "warning: sleep on sequential: a warning\n"
      "primes on pool: task 1 failed: boom\n";
  EXPECT_EQ(Table(testing::GoldenResults(), 100),
            "run   workload  engine      median ± stddev             relative  efficiency  "
            "        tasks\n"
            "      sleep     sequential  500 ms ± 250 ms            reference       60.0%  "
            "        12 ok\n"
            "fast  primes    pool        250 ms ± 125 ms  2.50 ± 0.25× slower       80.0%  "
            "NO: 6 of 9 ok\n" +
                tail);
  EXPECT_EQ(Table(testing::GoldenResults(), 80),
            "  engine      median ± stddev      relative   eff.          tasks\n"
            "sleep\n"
            "  sequential  500 ms ± 250 ms     reference  60.0%          12 ok\n"
            "fast: primes\n"
            "  pool        250 ms ± 125 ms  2.50× slower  80.0%  NO: 6 of 9 ok\n" +
                tail);
}

// Names of a usual length keep one line per result, with its workload, at 100 columns.
TEST(TableLayout, UsualNamesKeepAFlatTableAtOneHundredColumns) {
  std::vector<Result> results = {SampleResult("sequential", 1.0), SampleResult("thread", 0.5)};
  results[1].relative = Relative{"sequential", 2, 0.05};
  std::string table = Table(results, 100);
  EXPECT_EQ(table,
            "workload  engine      median ± stddev             relative  efficiency  tasks\n"
            "sleep     sequential  1.00 s ± 0.00 s                    —      300.0%   4 ok\n"
            "sleep     thread      500 ms ± 0.00 s  2.00 ± 0.05× faster      600.0%   4 ok\n"
            "(--columns wide adds min … max, user, sys and peak RSS)\n"
            "What the run shows:\n"
            "  sleep: thread fastest (500 ms), sequential slowest (1.00 s, 2.0× as long)\n");
}

TEST(TableLayout, AWideTerminalKeepsEveryColumn) {
  std::vector<Result> results = RealisticResults();
  EXPECT_EQ(Table(results, 400), Table(results, 0));
}

TEST(TableLayout, NamesLongerThanTheWidthAreShortened) {
  std::vector<Result> results = {SampleResult("sequential", 1.0), SampleResult("thread", 0.5)};
  results[1].engine = std::string(90, 'e');
  results[1].workload = std::string(90, 'w');
  std::string table = Table(results, 80);
  for (const std::string& line : Lines(table)) EXPECT_LE(DisplayWidth(line), 80u) << line;
  EXPECT_NE(table.find("eeeeeee…"), std::string::npos) << table;
}

TEST(TableLayout, TimesInOneUnit) {
  std::vector<Result> results = {SampleResult("sequential", 1.5), SampleResult("thread", 0.0005)};
  std::ostringstream out;
  WriteTable(out, results, {.unit = TimeUnit::kMilliseconds});
  EXPECT_NE(out.str().find("1500 ms ± 0.00 ms"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("0.500 ms ± 0.00 ms"), std::string::npos) << out.str();
  EXPECT_EQ(FormatSeconds(0.0000123, TimeUnit::kMilliseconds), "0.0123 ms");
  EXPECT_EQ(FormatSeconds(2.5, TimeUnit::kMicroseconds), "2500000 µs");
  EXPECT_EQ(FormatSeconds(0.25, TimeUnit::kSeconds), "0.250 s");
  EXPECT_EQ(FormatSeconds(3e-9, TimeUnit::kNanoseconds), "3.00 ns");
  EXPECT_EQ(FormatSeconds(0.25, TimeUnit::kAuto), "250 ms");
}

}  // namespace
}  // namespace concbench
