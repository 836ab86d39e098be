// `concbench list`: the engines and workloads, a line of description each, with parameters.
#pragma once

#include <ostream>

namespace concbench {

void WriteList(std::ostream& out);

}  // namespace concbench
