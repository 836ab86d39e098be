#include "reports/table_layout.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "reports/table.hpp"
#include "results/labels.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

// The parameters that differ between results of the same workload (a sweep, or a suite's
// runs), as "name=value" text per result; empty strings when none differ.
std::vector<std::string> VaryingParameters(const std::vector<Result>& results) {
  // A workload parameter varies among results of the same workload; an engine parameter
  // among results of the same workload and engine: it has two values or more there.
  auto scope = [](const Result& r, const std::string& name, bool engine_parameter) {
    return r.workload + '\n' + (engine_parameter ? r.engine : "") + '\n' + name;
  };
  auto parameters = [](const Result& r, bool engine_parameter) -> const nlohmann::json& {
    return engine_parameter ? r.engine_parameters : r.workload_parameters;
  };
  std::map<std::string, std::set<std::string>> values;  // by scope, as JSON text
  for (const Result& r : results) {
    for (bool engine_parameter : {false, true}) {
      const nlohmann::json& mine = parameters(r, engine_parameter);
      if (!mine.is_object()) continue;
      for (const auto& [name, value] : mine.items()) {
        values[scope(r, name, engine_parameter)].insert(DumpJson(value));
      }
    }
  }
  std::vector<std::string> texts;
  for (const Result& r : results) {
    std::vector<std::string> parts;
    for (bool engine_parameter : {false, true}) {
      const nlohmann::json& mine = parameters(r, engine_parameter);
      if (!mine.is_object()) continue;
      for (const auto& [name, value] : mine.items()) {
        if (values[scope(r, name, engine_parameter)].size() > 1) {
          parts.push_back(name + "=" + ShortValue(value));
        }
      }
    }
    texts.push_back(fmt::format("{}", fmt::join(parts, " ")));
  }
  return texts;
}

// "6 ok, 1 failed, 1 cancelled, 1 not started".
std::string TasksText(const Result& r) {
  std::string tasks = fmt::format("{} ok", r.tasks.completed);
  if (r.tasks.failed > 0) tasks += fmt::format(", {} failed", r.tasks.failed);
  if (r.tasks.cancelled > 0) tasks += fmt::format(", {} cancelled", r.tasks.cancelled);
  if (r.tasks.pending > 0) tasks += fmt::format(", {} not started", r.tasks.pending);
  return tasks;
}

// The tasks and the verdict in one cell: "12 ok", or "NO: 6 of 9 ok".
std::string VerdictText(const Result& r) {
  if (r.verified) return fmt::format("{} ok", r.tasks.completed);
  std::size_t all = r.tasks.completed + r.tasks.failed + r.tasks.cancelled + r.tasks.pending;
  return fmt::format("NO: {} of {} ok", r.tasks.completed, all);
}

// "3.02× faster", "1.50× slower", "reference": FormatRelative without the uncertainty.
std::string ShortRelative(const Relative& relative) {
  if (relative.uncertainty == 0 && relative.ratio == 1) return "reference";
  if (relative.ratio >= 1) return fmt::format("{:.2f}× faster", relative.ratio);
  return fmt::format("{:.2f}× slower", 1 / relative.ratio);
}

// Cuts `text` to `width` columns, its last one "…".
std::string Truncate(const std::string& text, std::size_t width) {
  if (DisplayWidth(text) <= width) return text;
  std::string cut;
  std::size_t kept = 0;
  for (char c : text) {
    bool starts = (c & 0xC0) != 0x80;
    if (starts && ++kept > width - 1) break;
    cut += c;
  }
  return cut + "…";
}

}  // namespace

TableCells LayoutTable(const std::vector<Result>& results, TableLayout layout, TimeUnit unit) {
  bool wide = layout == TableLayout::kWide;
  bool grouped = layout == TableLayout::kGrouped;
  bool runs =
      std::any_of(results.begin(), results.end(), [](const Result& r) { return !r.run.empty(); });
  std::vector<std::string> varying = VaryingParameters(results);
  bool parameters = std::any_of(varying.begin(), varying.end(),
                                [](const std::string& text) { return !text.empty(); });
  bool commands = std::any_of(results.begin(), results.end(),
                              [](const Result& r) { return r.commands.processes > 0; });
  TableCells cells;
  std::vector<std::string> header;
  if (runs && !grouped) header.emplace_back("run");
  if (!grouped) header.emplace_back("workload");
  header.emplace_back(grouped ? "  engine" : "engine");
  if (parameters && !grouped) header.emplace_back("parameters");
  cells.left = header.size();
  header.insert(header.end(), {"median ± stddev"});
  if (wide) header.emplace_back("min … max");
  header.insert(header.end(), {"relative", grouped ? "eff." : "efficiency"});
  if (wide) header.insert(header.end(), {"user", "sys", "peak RSS"});
  if (wide && commands) header.insert(header.end(), {"cmd CPU", "cmd RSS"});
  if (wide) header.insert(header.end(), {"tasks (all runs)", "verified"});
  if (!wide) header.emplace_back("tasks");
  cells.rows = {header};
  cells.headings = {""};
  auto seconds = [unit](double value) { return FormatSeconds(value, unit); };
  std::string last_heading;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    std::vector<std::string> row;
    if (runs && !grouped) row.push_back(r.run);
    if (!grouped) row.push_back(r.workload);
    row.push_back(grouped ? "  " + r.engine : r.engine);
    if (parameters && !grouped) row.push_back(varying[i]);
    row.push_back(seconds(r.wall.median) + " ± " + seconds(r.wall.stddev));
    if (wide) row.push_back(seconds(r.wall.min) + " … " + seconds(r.wall.max));
    if (!r.relative) row.emplace_back("—");
    if (r.relative)
      row.push_back(grouped ? ShortRelative(*r.relative) : FormatRelative(*r.relative));
    row.push_back(EfficiencyText(r));
    if (wide) {
      row.insert(row.end(), {seconds(r.user_seconds), seconds(r.system_seconds),
                             FormatBytes(static_cast<double>(r.peak_rss_bytes))});
    }
    if (wide && commands && r.commands.processes == 0) row.insert(row.end(), {"—", "—"});
    if (wide && commands && r.commands.processes > 0) {
      row.insert(row.end(), {seconds(r.commands.user_seconds + r.commands.system_seconds),
                             FormatBytes(static_cast<double>(r.commands.peak_rss_bytes))});
    }
    if (wide) row.insert(row.end(), {TasksText(r), r.verified ? "yes" : "NO"});
    if (!wide) row.push_back(VerdictText(r));
    cells.rows.push_back(std::move(row));
    // A heading above the first result of each point: "[run: ]workload[ parameters]".
    std::string heading = (r.run.empty() ? "" : r.run + ": ") + r.workload +
                          (varying[i].empty() ? "" : " " + varying[i]);
    bool first = i == 0 || heading != last_heading;
    cells.headings.push_back(grouped && first ? heading : "");
    last_heading = heading;
  }
  if (!wide) {
    cells.dropped = commands ? "min … max, user, sys, peak RSS, cmd CPU and cmd RSS"
                             : "min … max, user, sys and peak RSS";
  }
  return cells;
}

std::size_t TableWidth(const TableCells& cells) {
  std::vector<std::size_t> widths(cells.rows.front().size(), 0);
  for (const auto& row : cells.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::size_t width = 2 * (widths.size() - 1);
  for (std::size_t w : widths) width += w;
  for (const std::string& heading : cells.headings) width = std::max(width, DisplayWidth(heading));
  return width;
}

void FitTable(TableCells& cells, std::size_t columns) {
  for (std::string& heading : cells.headings) heading = Truncate(heading, columns);
  while (TableWidth(cells) > columns) {
    // The widest name column loses what the table has too much, down to 8 columns.
    std::size_t widest = 0, width = 0;
    for (std::size_t c = 0; c < cells.left; ++c) {
      std::size_t w = 0;
      for (const auto& row : cells.rows) w = std::max(w, DisplayWidth(row[c]));
      if (w > width) widest = c, width = w;
    }
    if (width <= 8) return;
    std::size_t target = std::max<std::size_t>(8, width - (TableWidth(cells) - columns));
    for (auto& row : cells.rows) row[widest] = Truncate(row[widest], target);
  }
}

}  // namespace concbench
