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

namespace {

// Why an efficiency is "—", once per reason: "efficiency —: no task completed (sleep on
// thread, sleep on pool)".
void WriteEfficiencyNotes(std::ostream& out, const std::vector<Result>& results) {
  std::vector<std::pair<std::string, std::vector<std::string>>> notes;
  for (const Result& r : results) {
    if (r.efficiency) continue;
    auto same = std::find_if(notes.begin(), notes.end(),
                             [&](const auto& note) { return note.first == r.efficiency_note; });
    if (same == notes.end()) same = notes.insert(notes.end(), {r.efficiency_note, {}});
    std::string name = r.workload + " on " + r.engine;
    if (std::find(same->second.begin(), same->second.end(), name) == same->second.end()) {
      same->second.push_back(name);
    }
  }
  for (const auto& [note, names] : notes) {
    out << "efficiency —: " << note << " (" << fmt::format("{}", fmt::join(names, ", ")) << ")\n";
  }
}

}  // namespace

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
  // Lines after the table wrap to its width.
  auto wrap = [&](const std::string& line) {
    return options.columns == 0 ? line : WrapText(line, options.columns, 2);
  };
  if (!cells.dropped.empty()) out << wrap("(--columns wide adds " + cells.dropped + ")") << '\n';
  // The workloads' own figures (e.g. a counter's lost updates), one line per result.
  for (const Result& r : results) {
    if (r.metrics.empty()) continue;
    std::string line;
    for (const auto& [key, value] : r.metrics.items()) {
      std::string text = value.is_string()           ? value.get<std::string>()
                         : value.is_number_integer() ? DumpJson(value)
                         : value.is_number()         ? fmt::format("{:.3g}", value.get<double>())
                                                     : DumpJson(value);
      line += fmt::format("{}{} {}", line.empty() ? "" : ", ", key, text);
    }
    out << wrap(r.workload + " on " + r.engine + ": " + line) << '\n';
  }
  std::ostringstream notes;
  WriteEfficiencyNotes(notes, results);
  std::istringstream note_lines(notes.str());
  for (std::string note; std::getline(note_lines, note);) out << wrap(note) << '\n';
  for (const Result& r : results) {
    std::string name = r.workload + " on " + r.engine;
    for (const std::string& problem : r.problems) {
      out << (options.color ? kRed : "") << wrap(name + ": " + problem)
          << (options.color ? kReset : "") << '\n';
    }
    for (const std::string& warning : r.warnings) {
      out << (options.color ? kYellow : "") << wrap("warning: " + name + ": " + warning)
          << (options.color ? kReset : "") << '\n';
    }
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
