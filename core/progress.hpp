// Where a schedule stands, for a progress display: plain data, formatted by whoever shows it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace concbench {

class Engine;

struct Progress {
  using Clock = std::chrono::steady_clock;

  std::size_t point = 0;           // the point running, from 1
  std::size_t points = 0;          // points in the schedule
  std::string label;               // the point's label ("sleep on pool (tasks=100)")
  std::string step;                // "warmup 1/1", "repetition 2/5"
  Clock::time_point started;       // when the schedule began
  Clock::time_point step_started;  // when this step began
  double seconds_left = -1;        // estimated when this step began; negative when unknown
  // The engine running the step and its run's task count: engine->tasks_finished() counts the
  // run's finished tasks as it goes. Null between runs.
  const Engine* engine = nullptr;
  std::size_t tasks = 0;
};

}  // namespace concbench
