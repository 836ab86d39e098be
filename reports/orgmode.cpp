#include "reports/orgmode.hpp"

#include <algorithm>

#include "reports/markup.hpp"

namespace concbench {
namespace {

// A `|` would end the cell: Org's entity for it.
std::string Cell(const std::string& text) {
  std::string escaped;
  for (char c : text) escaped += c == '|' ? std::string("\\vert{}") : std::string(1, c);
  return escaped;
}

void WriteLine(std::ostream& out, const std::vector<std::string>& cells,
               const std::vector<MarkupColumn>& columns, const std::vector<std::size_t>& widths) {
  out << '|';
  for (std::size_t c = 0; c < cells.size(); ++c) {
    std::size_t room = widths[c] - DisplayWidth(cells[c]);
    std::size_t before = columns[c].align == Align::kRight    ? room
                         : columns[c].align == Align::kCenter ? room / 2
                                                              : 0;
    out << ' ' << std::string(before, ' ') << cells[c] << std::string(room - before, ' ') << " |";
  }
  out << '\n';
}

}  // namespace

void WriteOrgmode(std::ostream& out, const std::vector<Result>& results, TimeUnit unit) {
  MarkupTable table = ResultsMarkupTable(results, unit, Cell);
  std::vector<std::string> headings;
  for (const MarkupColumn& column : table.columns) headings.push_back(column.heading);
  const std::vector<std::vector<std::string>>& rows = table.rows;
  std::vector<std::size_t> widths;
  for (const std::string& heading : headings) widths.push_back(DisplayWidth(heading));
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  WriteLine(out, headings, table.columns, widths);
  std::string rule = "|";
  for (std::size_t c = 0; c < widths.size(); ++c) {
    rule += std::string(widths[c] + 2, '-') + (c + 1 == widths.size() ? "|" : "+");
  }
  out << rule << '\n';
  for (const auto& row : rows) WriteLine(out, row, table.columns, widths);
}

}  // namespace concbench
