// Helpers for naming registry entries on the command line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "concbench/params.hpp"

namespace concbench {

// "unknown engine 'trhead' (did you mean 'thread'?); valid: sequential, thread, ..."
std::string UnknownNameMessage(std::string_view kind, std::string_view given,
                               const std::vector<std::string>& valid);

// " (did you mean 'thread'?)" when `given` is a near miss of one of `valid` (at most a third of
// the name wrong), else "".
std::string DidYouMean(std::string_view given, const std::vector<std::string>& valid);

// The parameter named `name` (the first of any workload or engine, whose option it is), or
// nullptr. Valid until the next workload registration.
const ParamSpec* FindParam(const std::string& name);

// Why `name` names no parameter of a registered workload or engine, with a "did you mean" when
// it is a near miss of one: "no workload or engine has this parameter (did you mean 'tasks'?)".
std::string UnknownParamReason(const std::string& name);

// Edit distance between two names: insertions, deletions, substitutions and swaps of two
// neighbouring characters (the commonest typo: "rnu" for "run") each cost 1.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace concbench
