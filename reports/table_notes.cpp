#include "reports/table_notes.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "results/labels.hpp"
#include "results/statistics.hpp"
#include "util/format.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

// Items in first-seen order, each with the names that share it.
using Grouped = std::vector<std::pair<std::string, std::vector<std::string>>>;

void AddTo(Grouped& groups, const std::string& key, const std::string& name) {
  auto same = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& group) { return group.first == key; });
  if (same == groups.end()) same = groups.insert(groups.end(), {key, {}});
  if (std::find(same->second.begin(), same->second.end(), name) == same->second.end()) {
    same->second.push_back(name);
  }
}

// Writes lines under the table: each wrapped to the table's width (continuation lines indented)
// and coloured as a whole.
class NoteWriter {
 public:
  NoteWriter(std::ostream& out, TableOptions options) : out_(out), options_(options) {}

  void Line(const std::string& text, const char* color = "") {
    bool colored = options_.color && *color;
    out_ << (colored ? color : "") << Wrapped(text) << (colored ? kReset : "") << '\n';
  }

 private:
  // `text` wrapped to the width, its leading spaces kept on every line and continuation lines
  // indented two more.
  std::string Wrapped(const std::string& text) const {
    std::size_t lead = std::min(text.find_first_not_of(' '), text.size());
    if (options_.columns == 0 || options_.columns <= lead + 20) return text;
    std::string margin(lead, ' ');
    // WrapText indents the lines after the first beyond the width it is given.
    std::istringstream lines(WrapText(text.substr(lead), options_.columns - lead - 2, 2));
    std::string wrapped;
    for (std::string line; std::getline(lines, line);) {
      wrapped += (wrapped.empty() ? "" : "\n") + margin + line;
    }
    return wrapped;
  }

  std::ostream& out_;
  TableOptions options_;
};

// The results of one workload at one set of its parameters, compared across engines.
struct Lesson {
  std::string title;  // "counter" or "counter (tasks=10)"
  std::vector<const Result*> results;
};

std::vector<Lesson> Lessons(const std::vector<Result>& results) {
  std::vector<Lesson> lessons;
  std::vector<std::string> keys;
  for (const Result& r : results) {
    std::string key = r.run + '\n' + r.workload + '\n' + DumpJson(r.workload_parameters);
    auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) {
      keys.push_back(key);
      lessons.push_back({r.run.empty() ? r.workload : r.run + ": " + r.workload, {}});
      at = keys.end() - 1;
    }
    lessons[static_cast<std::size_t>(at - keys.begin())].results.push_back(&r);
  }
  // One workload at several parameter sets (a sweep): each lesson names its parameters.
  std::map<std::string, std::size_t> per_title;
  for (const Lesson& lesson : lessons) ++per_title[lesson.title];
  for (Lesson& lesson : lessons) {
    std::string parameters = ParameterText(*lesson.results.front(), ", ");
    if (per_title[lesson.title] > 1 && !parameters.empty()) lesson.title += " (" + parameters + ")";
  }
  return lessons;
}

// The engine's name, with its settings when another result of the lesson has the same engine.
std::string EngineIn(const Lesson& lesson, const Result& r) {
  auto same = std::count_if(lesson.results.begin(), lesson.results.end(),
                            [&](const Result* other) { return other->engine == r.engine; });
  return same > 1 ? EngineText(r) : r.engine;
}

// "asio fastest (100 ms), sequential slowest (1.00 s, 10.0× as long)", over the verified
// results; "" for fewer than two.
std::string SpeedText(const Lesson& lesson) {
  std::vector<const Result*> measured;
  for (const Result* r : lesson.results) {
    if (r->verified && r->wall.median > 0) measured.push_back(r);
  }
  if (measured.size() < 2) return "";
  auto by_median = [](const Result* a, const Result* b) { return a->wall.median < b->wall.median; };
  const Result* fastest = *std::min_element(measured.begin(), measured.end(), by_median);
  const Result* slowest = *std::max_element(measured.begin(), measured.end(), by_median);
  return fmt::format("{} fastest ({}), {} slowest ({}, {:.1f}× as long)",
                     EngineIn(lesson, *fastest), FormatSeconds(fastest->wall.median),
                     EngineIn(lesson, *slowest), FormatSeconds(slowest->wall.median),
                     slowest->wall.median / fastest->wall.median);
}

// What the run shows, a line per lesson and one more per outcome a workload names.
void WriteLessons(NoteWriter& out, const std::vector<Result>& results) {
  std::vector<std::string> lines;
  for (const Lesson& lesson : Lessons(results)) {
    Grouped outcomes;
    for (const Result* r : lesson.results) {
      if (!r->metrics.contains("outcome") || !r->metrics["outcome"].is_string()) continue;
      std::string outcome = r->metrics["outcome"].get<std::string>();
      AddTo(outcomes, outcome.substr(0, outcome.find(':')), EngineIn(lesson, *r));
    }
    std::string speed = SpeedText(lesson);
    if (speed.empty() && outcomes.empty()) continue;
    lines.push_back(fmt::format("  {}: {}", lesson.title, speed.empty() ? "" : speed));
    if (speed.empty()) lines.back().pop_back();
    for (const auto& [outcome, engines] : outcomes) {
      lines.push_back(fmt::format("    {}: {}", outcome, fmt::join(engines, ", ")));
    }
  }
  if (lines.empty()) return;
  out.Line("What the run shows:");
  for (const std::string& line : lines) out.Line(line);
}

// The workloads' own figures (e.g. a counter's lost updates), one line per result.
void WriteMetrics(NoteWriter& out, const std::vector<Result>& results) {
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
    out.Line(r.workload + " on " + r.engine + ": " + line);
  }
}

// Why an efficiency is "—", once per reason: "efficiency —: no task completed (sleep on
// thread, sleep on pool)".
void WriteEfficiencyNotes(NoteWriter& out, const std::vector<Result>& results) {
  Grouped notes;
  for (const Result& r : results) {
    if (!r.efficiency) AddTo(notes, r.efficiency_note, r.workload + " on " + r.engine);
  }
  for (const auto& [note, names] : notes) {
    out.Line(fmt::format("efficiency —: {} ({})", note, fmt::join(names, ", ")));
  }
}

}  // namespace

void WriteTableNotes(std::ostream& stream, const std::vector<Result>& results,
                     TableOptions options) {
  NoteWriter out(stream, options);
  WriteLessons(out, results);
  if (options.verbose) WriteMetrics(out, results);
  WriteEfficiencyNotes(out, results);
  std::size_t noisy = 0;
  for (const Result& r : results) {
    std::string name = r.workload + " on " + r.engine;
    for (const std::string& problem : r.problems) out.Line(name + ": " + problem, kRed);
    bool noise = false;
    for (const std::string& warning : r.warnings) {
      if (!options.verbose && IsNoiseWarning(warning)) {
        noise = true;
      } else {
        out.Line("warning: " + name + ": " + warning, kYellow);
      }
    }
    noisy += noise;
  }
  if (noisy > 0) {
    out.Line(
        fmt::format("warning: {} of {} results varied between repetitions (a spread above 10% or "
                    "far outliers: other load on the machine?); -v lists them",
                    noisy, results.size()),
        kYellow);
  }
}

}  // namespace concbench
