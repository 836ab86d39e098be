// `queue`: producers and consumers around one bounded queue (the tutorial's asyncio.Queue).
// Tasks 0..P-1 are producers, P..P+C-1 consumers; the items 0..N-1 are dealt round-robin to
// the producers, which put them into a queue of --capacity; consumers take until the last
// producer to finish sends each of them an end mark. Blocking engines use a mutex and two
// condition variables; asio uses an awaitable channel (asio::experimental::channel).
// Check: every item consumed exactly once (at most once when a deadline cut the run short).
// Metrics: items_consumed, items_per_second, latency_p50_s, latency_p99_s (put to take).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

// Where the queue cannot run, for `concbench list`.
inline constexpr std::string_view kQueueEngineLimits =
    "not on process (worker processes share no queue); on engines with fewer lanes than "
    "producers + consumers (sequential, a small pool) only when --capacity >= items + consumers, "
    "or blocked producers would wait for consumers that cannot start";

std::vector<ParamSpec> QueueParams();

// Reads --producers, --consumers, --items and --capacity. Throws ParamError.
std::unique_ptr<Workload> MakeQueueWorkload(const Params& params);

}  // namespace concbench
