#include "reports/table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "reports/table_layout.hpp"
#include "reports/table_notes.hpp"
#include "results/labels.hpp"
#include "util/format.hpp"
#include "util/json_text.hpp"

namespace concbench {

std::string FormatRelative(const Relative& relative) {
  if (relative.uncertainty == 0 && relative.ratio == 1) return "reference";
  if (relative.ratio >= 1) {
    return fmt::format("{:.2f} ± {:.2f}× faster", relative.ratio, relative.uncertainty);
  }
  // Slower: the reference's speed over this one, with the uncertainty carried over.
  double inverse = 1 / relative.ratio;
  return fmt::format("{:.2f} ± {:.2f}× slower", inverse, relative.uncertainty * inverse * inverse);
}

void WriteRows(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
               std::size_t left, const std::vector<const char*>& colors,
               const std::vector<const char*>& last_colors) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string line;
    for (std::size_t c = 0; c < rows[i].size(); ++c) {
      std::string pad(widths[c] - DisplayWidth(rows[i][c]), ' ');
      std::string cell = c < left ? rows[i][c] + pad : pad + rows[i][c];
      if (c + 1 == rows[i].size() && *last_colors[i]) cell = last_colors[i] + cell + kReset;
      line += (c == 0 ? "" : "  ") + cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << colors[i] << line << (*colors[i] ? kReset : "") << '\n';
  }
}

namespace {

// The lines of `table`, each after its heading line, if any.
void WriteWithHeadings(std::ostream& out, const std::string& table,
                       const std::vector<std::string>& headings, bool color) {
  std::istringstream lines(table);
  std::string line;
  for (std::size_t i = 0; std::getline(lines, line); ++i) {
    if (i < headings.size() && !headings[i].empty()) {
      out << (color ? kBold : "") << headings[i] << (color ? kReset : "") << '\n';
    }
    out << line << '\n';
  }
}

}  // namespace

void WriteTable(std::ostream& out, const std::vector<Result>& results, TableOptions options) {
  // The richest layout that fits, names shortened if even the narrowest does not.
  TableCells cells = LayoutTable(results, TableLayout::kWide, options.unit);
  if (options.columns > 0) {
    for (TableLayout layout : {TableLayout::kEssential, TableLayout::kGrouped}) {
      if (TableWidth(cells) <= options.columns) break;
      cells = LayoutTable(results, layout, options.unit);
    }
    FitTable(cells, options.columns);
  }
  std::vector<const char*> colors = {options.color ? kBold : ""};
  std::vector<const char*> last_colors = {""};
  for (const Result& r : results) {
    colors.push_back(options.color && !r.verified ? kRed : "");
    last_colors.push_back(options.color && r.verified ? kGreen : "");
  }
  std::ostringstream table;
  WriteRows(table, cells.rows, cells.left, colors, last_colors);
  WriteWithHeadings(out, table.str(), cells.headings, options.color);
  if (!cells.dropped.empty()) {
    std::string note = "(--columns wide adds " + cells.dropped + ")";
    out << (options.columns == 0 ? note : WrapText(note, options.columns - 2, 2)) << '\n';
  }
  WriteTableNotes(out, results, options);
}

void WriteComplexity(std::ostream& out, const std::vector<ComplexityGroup>& groups) {
  if (groups.empty()) return;
  out << "complexity (time ≈ coefficient × f(N), least squares; RMS relative to the mean):\n";
  for (const ComplexityGroup& g : groups) {
    std::string name = (g.run.empty() ? "" : g.run + ": ") + g.workload + " on " + g.engine;
    std::vector<std::string> others;
    for (const auto& [key, value] : g.others.items())
      others.push_back(key + "=" + ShortValue(value));
    if (!others.empty()) name += fmt::format(" ({})", fmt::join(others, ", "));
    const OrderFit& fit = g.real.best;
    std::string_view factor = BigOText(fit.order);  // "O(N log N)" -> "N log N"
    factor = factor.substr(2, factor.size() - 3);
    std::string term = FormatSeconds(fit.coefficient);
    if (fit.order != BigO::kOne) term += fmt::format("·{}", factor);
    out << fmt::format("  {} over {}: {} ({}), RMS {:.0f} %\n", name, g.parameter, term,
                       BigOText(fit.order), fit.rms * 100);
  }
}

void WriteExpectations(std::ostream& out, const std::vector<ExpectationOutcome>& outcomes,
                       TableOptions options) {
  // The rows of all runs share one set of columns; each run's claim heads its rows.
  std::vector<std::vector<std::string>> rows = {
      {"run / engine", "metric", "expected", "measured", "result"}};
  std::vector<const char*> colors = {options.color ? kBold : ""};
  std::vector<const char*> last_colors = {""};
  std::vector<std::string> headings = {""};
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const ExpectationOutcome& o = outcomes[i];
    bool first = i == 0 || outcomes[i - 1].run != o.run;
    headings.push_back(first ? o.run + (o.claim.empty() ? "" : ": " + o.claim) : "");
    rows.push_back({"  " + o.engine, o.metric, o.expected, o.measured, o.passed ? "pass" : "FAIL"});
    colors.push_back(options.color && !o.passed ? kRed : "");
    last_colors.push_back(options.color && o.passed ? kGreen : "");
  }
  std::ostringstream table;
  WriteRows(table, rows, 2, colors, last_colors);
  WriteWithHeadings(out, table.str(), headings, options.color);
}

}  // namespace concbench
