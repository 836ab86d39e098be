#include "reports/table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <utility>

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

void WriteTable(std::ostream& out, const std::vector<Result>& results, TableOptions options) {
  bool runs =
      std::any_of(results.begin(), results.end(), [](const Result& r) { return !r.run.empty(); });
  std::vector<std::string> varying = VaryingParameters(results);
  bool parameters = std::any_of(varying.begin(), varying.end(),
                                [](const std::string& text) { return !text.empty(); });
  std::vector<std::string> header;
  if (runs) header.emplace_back("run");
  header.insert(header.end(), {"workload", "engine"});
  if (parameters) header.emplace_back("parameters");
  bool commands = std::any_of(results.begin(), results.end(),
                              [](const Result& r) { return r.commands.processes > 0; });
  std::size_t left = header.size();
  header.insert(header.end(), {"median ± stddev", "min … max", "relative", "efficiency", "user",
                               "sys", "peak RSS"});
  if (commands) header.insert(header.end(), {"cmd CPU", "cmd RSS"});
  header.insert(header.end(), {"tasks (all runs)", "verified"});
  std::vector<std::vector<std::string>> rows = {header};
  std::vector<const char*> colors = {options.color ? kBold : ""};
  std::vector<const char*> last_colors = {""};
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    std::string tasks = fmt::format("{} ok", r.tasks.completed);
    if (r.tasks.failed > 0) tasks += fmt::format(", {} failed", r.tasks.failed);
    if (r.tasks.cancelled > 0) tasks += fmt::format(", {} cancelled", r.tasks.cancelled);
    if (r.tasks.pending > 0) tasks += fmt::format(", {} not started", r.tasks.pending);
    std::vector<std::string> row;
    if (runs) row.push_back(r.run);
    row.insert(row.end(), {r.workload, r.engine});
    if (parameters) row.push_back(varying[i]);
    row.insert(row.end(), {FormatSeconds(r.wall.median) + " ± " + FormatSeconds(r.wall.stddev),
                           FormatSeconds(r.wall.min) + " … " + FormatSeconds(r.wall.max),
                           r.relative ? FormatRelative(*r.relative) : "—", EfficiencyText(r),
                           FormatSeconds(r.user_seconds), FormatSeconds(r.system_seconds),
                           FormatBytes(static_cast<double>(r.peak_rss_bytes))});
    if (commands && r.commands.processes == 0) row.insert(row.end(), {"—", "—"});
    if (commands && r.commands.processes > 0) {
      row.insert(row.end(), {FormatSeconds(r.commands.user_seconds + r.commands.system_seconds),
                             FormatBytes(static_cast<double>(r.commands.peak_rss_bytes))});
    }
    row.insert(row.end(), {tasks, r.verified ? "yes" : "NO"});
    rows.push_back(std::move(row));
    colors.push_back(options.color && !r.verified ? kRed : "");
    last_colors.push_back(options.color && r.verified ? kGreen : "");
  }
  WriteRows(out, rows, left, colors, last_colors);
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
    out << r.workload << " on " << r.engine << ": " << line << '\n';
  }
  WriteEfficiencyNotes(out, results);
  for (const Result& r : results) {
    std::string name = r.workload + " on " + r.engine;
    for (const std::string& problem : r.problems) {
      out << (options.color ? kRed : "") << name << ": " << problem << (options.color ? kReset : "")
          << '\n';
    }
    for (const std::string& warning : r.warnings) {
      out << (options.color ? kYellow : "") << "warning: " << name << ": " << warning
          << (options.color ? kReset : "") << '\n';
    }
  }
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
  std::istringstream lines(table.str());
  std::string line;
  for (std::size_t i = 0; std::getline(lines, line); ++i) {
    if (i < headings.size() && !headings[i].empty()) {
      out << (options.color ? kBold : "") << headings[i] << (options.color ? kReset : "") << '\n';
    }
    out << line << '\n';
  }
}

}  // namespace concbench
