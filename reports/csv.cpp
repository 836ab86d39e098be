#include "reports/csv.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "results/labels.hpp"

namespace concbench {
namespace {

// RFC 4180: quote a field holding a comma, a quote or a line break; double its quotes.
std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string Number(double value) { return fmt::format("{:.9g}", value); }

// The columns, in order: a name and the field it holds. A number that is absent (no floor, no
// reference) is an empty field.
struct Column {
  const char* name;
  std::string (*field)(const Result&);
};

std::string Optional(const std::optional<double>& value) { return value ? Number(*value) : ""; }

constexpr Column kColumns[] = {
    {"run", [](const Result& r) { return Field(r.run); }},
    {"workload", [](const Result& r) { return Field(r.workload); }},
    {"engine", [](const Result& r) { return Field(r.engine); }},
    {"parameters", [](const Result& r) { return Field(ParameterText(r)); }},
    {"engine_settings", [](const Result& r) { return Field(EngineSettingsText(r)); }},
    {"repetitions", [](const Result& r) { return std::to_string(r.times.size()); }},
    {"mean", [](const Result& r) { return Number(r.wall.mean); }},
    {"stddev", [](const Result& r) { return Number(r.wall.stddev); }},
    {"median", [](const Result& r) { return Number(r.wall.median); }},
    {"min", [](const Result& r) { return Number(r.wall.min); }},
    {"max", [](const Result& r) { return Number(r.wall.max); }},
    {"mad", [](const Result& r) { return Number(r.wall.mad); }},
    {"p5", [](const Result& r) { return Number(r.wall.p5); }},
    {"p25", [](const Result& r) { return Number(r.wall.p25); }},
    {"p75", [](const Result& r) { return Number(r.wall.p75); }},
    {"p95", [](const Result& r) { return Number(r.wall.p95); }},
    {"cv", [](const Result& r) { return Number(r.wall.cv); }},
    {"median_ci_low", [](const Result& r) { return Number(r.wall.median_ci_low); }},
    {"median_ci_high", [](const Result& r) { return Number(r.wall.median_ci_high); }},
    {"user", [](const Result& r) { return Number(r.user_seconds); }},
    {"system", [](const Result& r) { return Number(r.system_seconds); }},
    {"peak_rss_bytes", [](const Result& r) { return std::to_string(r.peak_rss_bytes); }},
    {"ideal", [](const Result& r) { return Number(r.ideal_seconds); }},
    {"efficiency", [](const Result& r) { return Optional(r.efficiency); }},
    {"speedup", [](const Result& r) { return Optional(r.speedup); }},
    {"relative",
     [](const Result& r) { return r.relative ? Number(r.relative->ratio) : std::string(); }},
    {"relative_uncertainty",
     [](const Result& r) { return r.relative ? Number(r.relative->uncertainty) : std::string(); }},
    {"reference",
     [](const Result& r) { return r.relative ? Field(r.relative->reference) : std::string(); }},
    {"tasks_total", [](const Result& r) { return std::to_string(r.tasks.total); }},
    {"tasks_completed", [](const Result& r) { return std::to_string(r.tasks.completed); }},
    {"tasks_failed", [](const Result& r) { return std::to_string(r.tasks.failed); }},
    {"tasks_cancelled", [](const Result& r) { return std::to_string(r.tasks.cancelled); }},
    {"tasks_pending", [](const Result& r) { return std::to_string(r.tasks.pending); }},
    {"verified", [](const Result& r) { return std::string(r.verified ? "true" : "false"); }},
    {"commands_user", [](const Result& r) { return Number(r.commands.user_seconds); }},
    {"commands_system", [](const Result& r) { return Number(r.commands.system_seconds); }},
    {"commands_peak_rss_bytes",
     [](const Result& r) { return std::to_string(r.commands.peak_rss_bytes); }},
    {"efficiency_note", [](const Result& r) { return Field(r.efficiency_note); }},
    {"unverified_reason", [](const Result& r) { return Field(r.unverified_reason); }},
};

}  // namespace

void WriteCsv(std::ostream& out, const std::vector<Result>& results) {
  std::vector<std::string_view> names;
  for (const Column& column : kColumns) names.push_back(column.name);
  out << fmt::format("{}\n", fmt::join(names, ","));
  for (const Result& r : results) {
    std::vector<std::string> fields;
    for (const Column& column : kColumns) fields.push_back(column.field(r));
    out << fmt::format("{}\n", fmt::join(fields, ","));
  }
}

}  // namespace concbench
