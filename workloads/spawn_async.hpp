// Child processes from a coroutine on an Asio loop (the exec workload's awaitable form): started
// off the loop's thread, so that posix_spawn calls run side by side while the loop goes on, and
// waited for on the loop through a pidfd (no thread per child).
#pragma once

#include <sys/types.h>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <stop_token>

#include "util/spawn.hpp"

namespace concbench {

// Starts `request` (Spawn) on one of the spawner threads of the awaiting coroutine's execution
// context, and resumes on the coroutine's executor with the child's pid. The spawner threads
// (one per core, at most 8) start with the context's first spawn and are joined when the context
// is destroyed; a child whose pid was not taken by then is killed and reaped. Throws
// TaskCancelled when `stop` was requested before the child started, std::runtime_error with the
// reason when it cannot start.
boost::asio::awaitable<pid_t> SpawnAsync(SpawnRequest request, std::stop_token stop);

// Waits for child `pid` on the awaiting coroutine's executor through a pidfd; on a stop request
// ends it as AwaitChild does, the grace timed by the executor. Reaps it (and its group's rest),
// also when the coroutine is destroyed while it waits (killed first).
boost::asio::awaitable<ChildExit> AwaitChildAsync(pid_t pid, bool group, std::stop_token stop,
                                                  std::chrono::nanoseconds grace);

}  // namespace concbench
