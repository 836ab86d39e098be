// The table, help and `list` fit the terminal: its width from --columns, or from $COLUMNS when
// the output is not a terminal (as in these tests); with neither, the table keeps every column.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli_fixture.hpp"

namespace concbench::testing {
namespace {

class CliWidth : public Cli {
 protected:
  // concbench `args` with $COLUMNS set to `columns` ("": unset).
  Outcome RunWithColumns(const std::vector<std::string>& args, const std::string& columns) {
    return Wait(Start(args, [columns] {
      if (!columns.empty()) ::setenv("COLUMNS", columns.c_str(), 1);
    }));
  }
};

// The widest line of `text`, in code points ("±", "…" and "µ" are one column each).
std::size_t WidestLine(const std::string& text) {
  std::size_t widest = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::size_t width = 0;
    for (char c : line) width += (c & 0xC0) != 0x80 ? 1 : 0;
    widest = std::max(widest, width);
  }
  return widest;
}

const std::vector<std::string> kRun = {"run",
                                       "-w",
                                       "sleep,primes",
                                       "-e",
                                       "sequential,thread,pool",
                                       "--tasks",
                                       "2",
                                       "--delay",
                                       "1ms",
                                       "--numbers",
                                       "7,11",
                                       "-r",
                                       "2",
                                       "--warmup",
                                       "0"};

std::vector<std::string> With(std::vector<std::string> args, std::vector<std::string> more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST_F(CliWidth, NarrowAndNormalTablesFitTheirWidths) {
  Outcome narrow = Run(With(kRun, {"--columns", "narrow"}));
  ASSERT_EQ(narrow.exit_code, 0) << narrow.err;
  EXPECT_LE(WidestLine(narrow.out), 80u) << narrow.out;
  EXPECT_NE(narrow.out.find("median ± stddev"), std::string::npos) << narrow.out;
  Outcome normal = Run(With(kRun, {"--columns", "normal"}));
  ASSERT_EQ(normal.exit_code, 0) << normal.err;
  EXPECT_LE(WidestLine(normal.out), 100u) << normal.out;
  EXPECT_NE(normal.out.find("efficiency"), std::string::npos) << normal.out;
}

// Piped without $COLUMNS (or with --columns wide, whatever $COLUMNS says): every column.
TEST_F(CliWidth, APipeKeepsEveryColumnAndColumnsNarrowsIt) {
  Outcome piped = RunWithColumns(kRun, "");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NE(piped.out.find("min … max"), std::string::npos) << piped.out;
  EXPECT_NE(piped.out.find("peak RSS"), std::string::npos) << piped.out;
  Outcome wide = RunWithColumns(With(kRun, {"--columns", "wide"}), "80");
  EXPECT_NE(wide.out.find("min … max"), std::string::npos) << wide.out;
  Outcome columns = RunWithColumns(kRun, "80");
  ASSERT_EQ(columns.exit_code, 0) << columns.err;
  EXPECT_LE(WidestLine(columns.out), 80u) << columns.out;
}

TEST_F(CliWidth, HelpAndListFitEightyColumns) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"}, {"run", "--help"}, {"--help"}, {"merge", "--help"}}) {
    Outcome o = RunWithColumns(args, "80");
    ASSERT_EQ(o.exit_code, 0) << args[0] << o.err;
    EXPECT_LE(WidestLine(o.out), 80u) << args[0] << "\n" << o.out;
  }
  // Never narrower than 60 columns, and 100 at most.
  Outcome tiny = RunWithColumns({"run", "--help"}, "20");
  EXPECT_LE(WidestLine(tiny.out), 70u);
  EXPECT_GT(WidestLine(tiny.out), 40u);
  Outcome unknown = RunWithColumns({"run", "--help"}, "");
  EXPECT_LE(WidestLine(unknown.out), 100u);
  EXPECT_GT(WidestLine(unknown.out), 80u);
}

TEST_F(CliWidth, UnknownWordsAreRefusedWithTheOption) {
  for (const auto& [option, word] : std::vector<std::pair<std::string, std::string>>{
           {"--columns", "medium"}, {"--sort", "mean"}, {"--time-unit", "min"}}) {
    Outcome o = Run(With(kRun, {option, word}));
    EXPECT_EQ(o.exit_code, 2) << option;
    EXPECT_NE(o.err.find(option + ": " + word), std::string::npos) << o.err;
  }
}

}  // namespace
}  // namespace concbench::testing
