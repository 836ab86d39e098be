#include "reports/markdown.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/markup.hpp"

namespace concbench {
namespace {

// Escapes the characters that would end a cell or start markup.
std::string Cell(const std::string& text) { return BackslashEscaped(text, "|*_`"); }

}  // namespace

void WriteMarkdown(std::ostream& out, const std::vector<Result>& results, TimeUnit unit) {
  MarkupTable table = ResultsMarkupTable(results, unit, Cell);
  std::vector<std::string> headings, rules;
  for (const MarkupColumn& column : table.columns) {
    headings.push_back(column.heading);
    rules.emplace_back(column.align == Align::kLeft    ? ":--"
                       : column.align == Align::kRight ? "--:"
                                                       : ":-:");
  }
  out << fmt::format("| {} |\n| {} |\n", fmt::join(headings, " | "), fmt::join(rules, " | "));
  for (const std::vector<std::string>& row : table.rows) {
    out << fmt::format("| {} |\n", fmt::join(row, " | "));
  }
}

}  // namespace concbench
