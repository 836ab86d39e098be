#include "reports/csv.hpp"

#include <fmt/format.h>

#include "reports/labels.hpp"

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

}  // namespace

void WriteCsv(std::ostream& out, const std::vector<Result>& results) {
  out << "run,workload,engine,parameters,repetitions,mean,stddev,median,min,max,mad,p5,p25,p75,"
         "p95,cv,median_ci_low,median_ci_high,user,system,peak_rss_bytes,ideal,efficiency,"
         "speedup,relative,relative_uncertainty,reference,tasks_total,tasks_completed,"
         "tasks_failed,tasks_cancelled,tasks_pending,verified,commands_user,commands_system,"
         "commands_peak_rss_bytes,efficiency_note,unverified_reason\n";
  for (const Result& r : results) {
    const Summary& w = r.wall;
    std::vector<std::string> fields = {Field(r.run),
                                       Field(r.workload),
                                       Field(r.engine),
                                       Field(ParameterText(r)),
                                       std::to_string(r.times.size()),
                                       Number(w.mean),
                                       Number(w.stddev),
                                       Number(w.median),
                                       Number(w.min),
                                       Number(w.max),
                                       Number(w.mad),
                                       Number(w.p5),
                                       Number(w.p25),
                                       Number(w.p75),
                                       Number(w.p95),
                                       Number(w.cv),
                                       Number(w.median_ci_low),
                                       Number(w.median_ci_high),
                                       Number(r.user_seconds),
                                       Number(r.system_seconds),
                                       std::to_string(r.peak_rss_bytes),
                                       Number(r.ideal_seconds),
                                       r.efficiency ? Number(*r.efficiency) : "",
                                       r.speedup ? Number(*r.speedup) : "",
                                       r.relative ? Number(r.relative->ratio) : "",
                                       r.relative ? Number(r.relative->uncertainty) : "",
                                       r.relative ? Field(r.relative->reference) : "",
                                       std::to_string(r.tasks.total),
                                       std::to_string(r.tasks.completed),
                                       std::to_string(r.tasks.failed),
                                       std::to_string(r.tasks.cancelled),
                                       std::to_string(r.tasks.pending),
                                       r.verified ? "true" : "false",
                                       Number(r.commands.user_seconds),
                                       Number(r.commands.system_seconds),
                                       std::to_string(r.commands.peak_rss_bytes),
                                       Field(r.efficiency_note),
                                       Field(r.unverified_reason)};
    out << fmt::format("{}\n", fmt::join(fields, ","));
  }
}

}  // namespace concbench
