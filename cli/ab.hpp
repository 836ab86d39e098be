// `concbench ab -- run ARGS...`: two builds (or two command lines) of the same benchmark measured
// in one job, A and B in turn round after round, judged on the paired samples; a suspected
// regression is measured again before it fails the gate.
#pragma once

#include <CLI/CLI.hpp>
#include <stop_token>
#include <string>
#include <vector>

namespace concbench {

struct AbConfig {
  std::string a, b;                  // the programs; "" is this one
  std::string a_args, b_args;        // words added to one side's command line
  std::vector<std::string> command;  // "run" and its options, as for the programs
  unsigned rounds = 10;
  unsigned confirm = 20;   // rounds that re-measure a suspected regression; 0: none
  unsigned per_round = 1;  // repetitions of each point in a round (their median is its value)
  double threshold_percent = 5;
  double alpha = 0.05;
  std::string metric = "auto";
  std::string format = "table";
  std::string color = "auto";
  bool quiet = false;
};

// Adds the `ab` subcommand and its options, bound to `config`.
CLI::App* AddAbCommand(CLI::App& app, AbConfig& config);

// Returns the exit status: 0 nothing regressed, 1 a confirmed regression, a pair that could not
// be compared or a side that crashed, 2 bad input (or nothing paired), 130 stopped.
int ExecuteAb(const AbConfig& config, std::stop_token stop);

}  // namespace concbench
