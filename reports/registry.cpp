#include "reports/registry.hpp"

#include <sstream>

#include "reports/asciidoc.hpp"
#include "reports/compare_report.hpp"
#include "reports/csv.hpp"
#include "reports/gbench.hpp"
#include "reports/github.hpp"
#include "reports/markdown.hpp"
#include "reports/metg.hpp"
#include "reports/orgmode.hpp"
#include "reports/table.hpp"
#include "reports/trace.hpp"
#include "results/json.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

const std::vector<Result>& Shown(const Report& report) {
  return report.shown != nullptr ? *report.shown : *report.results;
}

void Table(std::ostream& out, const Report& report) {
  if (report.comparison != nullptr)
    return WriteComparisonTable(out, *report.comparison, report.color);
  if (report.metg != nullptr) return WriteMetgTable(out, *report.metg);
  WriteTable(out, Shown(report),
             {.color = report.color,
              .verbose = report.verbose,
              .unit = report.time_unit,
              .columns = report.table_columns});
  if (!report.complexity.empty()) {
    out << '\n';
    WriteComplexity(out, report.complexity);
  }
  if (report.expectations != nullptr && !report.expectations->empty()) {
    out << '\n';
    WriteExpectations(out, *report.expectations, {.color = report.color});
  }
}

void Json(std::ostream& out, const Report& report) {
  if (report.comparison != nullptr) {
    out << DumpJson(ComparisonToJson(*report.comparison), 2) << '\n';
  } else if (report.metg != nullptr) {
    out << DumpJson(MetgToJson(*report.context, *report.metg), 2) << '\n';
  } else {
    nlohmann::json extra = report.extra;
    if (!report.complexity.empty()) extra["complexity"] = ComplexityToJson(report.complexity);
    WriteJson(out, *report.context, *report.results, extra);
  }
}

void Markdown(std::ostream& out, const Report& report) {
  if (report.comparison != nullptr) return WriteComparisonMarkdown(out, *report.comparison);
  WriteMarkdown(out, Shown(report), report.time_unit);
}

}  // namespace

const std::vector<ReporterInfo>& ReporterRegistry() {
  static const std::vector<ReporterInfo> registry = {
      {"table", "aligned columns for the terminal", "",
       kResultsReport | kComparisonReport | kMetgReport, Table},
      {"json", "the results file (schema concbench/1), every field", "--export-json",
       kResultsReport | kComparisonReport | kMetgReport, Json},
      {"csv", "one row per result, times in seconds", "--export-csv", kResultsReport,
       [](std::ostream& out, const Report& report) { WriteCsv(out, *report.results); }},
      {"markdown", "a table for a pull-request comment", "--export-markdown",
       kResultsReport | kComparisonReport, Markdown},
      {"asciidoc", "the Markdown table in AsciiDoc", "--export-asciidoc", kResultsReport,
       [](std::ostream& out, const Report& report) {
         WriteAsciidoc(out, Shown(report), report.time_unit);
       }},
      {"orgmode", "the Markdown table in Org mode", "--export-orgmode", kResultsReport,
       [](std::ostream& out, const Report& report) {
         WriteOrgmode(out, Shown(report), report.time_unit);
       }},
      {"gbench", "google/benchmark's JSON, for its compare.py", "--export-gbench", kResultsReport,
       [](std::ostream& out, const Report& report) {
         WriteGbench(out, *report.context, *report.results, report.complexity);
       }},
      {"github", "github-action-benchmark's customSmallerIsBetter", "--export-github",
       kResultsReport,
       [](std::ostream& out, const Report& report) {
         std::ostringstream ignored;
         WriteGithub(out, *report.results, report.warnings ? *report.warnings : ignored);
       }},
      {"trace", "every task's span in the Trace Event Format (Perfetto)", "--trace", kResultsReport,
       [](std::ostream& out, const Report& report) { WriteTrace(out, *report.results); }},
  };
  return registry;
}

const ReporterInfo* FindReporter(std::string_view name) {
  for (const ReporterInfo& info : ReporterRegistry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::vector<std::string> ReporterNames(ReportKinds kind) {
  std::vector<std::string> names;
  for (const ReporterInfo& info : ReporterRegistry()) {
    if ((info.kinds & kind) != 0) names.emplace_back(info.name);
  }
  return names;
}

}  // namespace concbench
