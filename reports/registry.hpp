// The table of reporters: name, description, the `run` option that writes it, what it formats
// and its writer. Drives run's --export-FORMAT options, compare's and metg's outputs.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string_view>
#include <vector>

#include "results/comparison.hpp"
#include "results/complexity.hpp"
#include "results/metg.hpp"
#include "results/result.hpp"
#include "util/format.hpp"

namespace concbench {

// What a reporter formats: a run's results (with a suite's claims), a comparison of two
// results files, or METG curves. Exactly one of results, comparison and metg is set; the
// pointers outlive the write.
struct Report {
  const Context* context = nullptr;
  const std::vector<Result>* results = nullptr;
  const std::vector<ExpectationOutcome>* expectations = nullptr;  // with results; may be null
  nlohmann::json extra = nlohmann::json::object();  // top-level members of a results document
  std::vector<ComplexityGroup> complexity = {};     // with results: the sweeps' fits (FitGroups)
  const ComparisonReport* comparison = nullptr;
  const MetgReport* metg = nullptr;
  bool color = false;    // ANSI colours, for the terminal table; the caller decides
  bool verbose = false;  // the terminal table's notes in full (TableOptions::verbose)
  // The results in the order the table and the markup exports show them (--sort); null: as
  // `results`. The other formats keep `results`' order.
  const std::vector<Result>* shown = nullptr;
  TimeUnit time_unit = TimeUnit::kAuto;  // of the table's and markup exports' times (--time-unit)
  std::size_t table_columns = 0;         // the width the table fits in; 0: no limit
  // Where a reporter warns about what it left out (--export-github); null: nowhere (the saves
  // made while a run goes on).
  std::ostream* warnings = nullptr;
};

// The kinds of report a reporter formats, as bits.
enum ReportKinds : unsigned { kResultsReport = 1, kComparisonReport = 2, kMetgReport = 4 };

struct ReporterInfo {
  std::string_view name;
  std::string_view description;
  std::string_view option;  // run's option that writes it ("--export-csv"); "" for none
  unsigned kinds;           // ReportKinds it formats
  // Writes `report`, which is of one of `kinds`.
  void (*write)(std::ostream& out, const Report& report);
};

// Every reporter, the terminal table first.
const std::vector<ReporterInfo>& ReporterRegistry();
// The reporter named `name`, or nullptr.
const ReporterInfo* FindReporter(std::string_view name);
// The names of the reporters that format `kind`, in registry order.
std::vector<std::string> ReporterNames(ReportKinds kind);

}  // namespace concbench
