// What `compare` reads: a results or baseline file's text, read as core/files.cpp's LoadResults
// reads it (nlohmann::json::parse, ResultsFromJson, each result's samples of every metric). Bad
// text must come back as an error; any other exception, crash or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "reports/comparison.hpp"
#include "reports/json.hpp"
#include "reports/statistics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using concbench::Metric;
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::parse_error&) {
    return 0;  // LoadResults: "not valid JSON"
  }
  std::string error;
  auto results = concbench::ResultsFromJson(document, &error);
  if (!results) return 0;
  for (concbench::Result& result : *results) {
    result.wall = concbench::Summarize(result.times);
    for (Metric metric : {Metric::kWall, Metric::kUser, Metric::kSystem, Metric::kPeakRss}) {
      concbench::Summarize(concbench::Samples(result, metric));
    }
  }
  return 0;
}
