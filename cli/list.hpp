// `concbench list`: the engines and workloads, a line of description each, with parameters.
#pragma once

#include <cstddef>
#include <ostream>

namespace concbench {

// Descriptions wrap to fit `columns`.
void WriteList(std::ostream& out, std::size_t columns);

}  // namespace concbench
