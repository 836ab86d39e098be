#include "reports/github.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "results/labels.hpp"
#include "util/json_text.hpp"

namespace concbench {

void WriteGithub(std::ostream& out, const std::vector<Result>& results, std::ostream& warnings) {
  nlohmann::json entries = nlohmann::json::array();
  for (const Result& r : results) {
    if (!r.verified) {
      warnings << fmt::format("warning: --export-github: {} left out: not verified ({})\n",
                              BenchmarkName(r), r.unverified_reason);
      continue;
    }
    entries.push_back({
        {"name", BenchmarkName(r)},
        {"unit", "s"},
        {"value", r.wall.median},
        {"range", fmt::format("± {:.6g}", r.wall.stddev)},
        {"extra", fmt::format("median of {} repetitions; 95% CI {:.6g} … {:.6g} s; mean {:.6g} s; "
                              "min {:.6g} s; max {:.6g} s; efficiency {}",
                              r.times.size(), r.wall.median_ci_low, r.wall.median_ci_high,
                              r.wall.mean, r.wall.min, r.wall.max, EfficiencyText(r))},
    });
  }
  out << DumpJson(entries, 2) << '\n';
}

}  // namespace concbench
