// Helpers for naming registry entries on the command line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace concbench {

// "unknown engine 'trhead' (did you mean 'thread'?); valid: sequential, thread, ..."
std::string UnknownNameMessage(std::string_view kind, std::string_view given,
                               const std::vector<std::string>& valid);

// Edit distance between two names (insertions, deletions, substitutions).
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace concbench
