// `concbench compare`'s outputs: a terminal table, Markdown for a pull request, or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "results/comparison.hpp"

namespace concbench {

void WriteComparisonTable(std::ostream& out, const ComparisonReport& report, bool color);
void WriteComparisonMarkdown(std::ostream& out, const ComparisonReport& report);
nlohmann::json ComparisonToJson(const ComparisonReport& report);

}  // namespace concbench
