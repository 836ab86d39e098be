#include "reports/asciidoc.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/markup.hpp"

namespace concbench {
namespace {

// Escapes the cell separator.
std::string Cell(const std::string& text) { return BackslashEscaped(text, "|"); }

}  // namespace

void WriteAsciidoc(std::ostream& out, const std::vector<Result>& results, TimeUnit unit) {
  MarkupTable table = ResultsMarkupTable(results, unit, Cell);
  std::vector<std::string> specs, headings;
  for (const MarkupColumn& column : table.columns) {
    specs.emplace_back(column.align == Align::kLeft    ? "<"
                       : column.align == Align::kRight ? ">"
                                                       : "^");
    headings.push_back(column.heading);
  }
  out << fmt::format("[cols=\"{}\", options=\"header\"]\n|===\n| {}\n", fmt::join(specs, ","),
                     fmt::join(headings, " | "));
  for (const std::vector<std::string>& row : table.rows) {
    out << fmt::format("\n| {}\n", fmt::join(row, " | "));
  }
  out << "|===\n";
}

}  // namespace concbench
