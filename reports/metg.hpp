// `concbench metg`'s terminal table (its results file: results/metg).
#pragma once

#include <ostream>

#include "results/metg.hpp"

namespace concbench {

// A line naming the threshold, then one row per engine: its label, METG and points measured.
void WriteMetgTable(std::ostream& out, const MetgReport& report);

}  // namespace concbench
