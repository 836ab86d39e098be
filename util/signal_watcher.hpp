// The program's SIGINT, SIGTERM and SIGHUP, taken by a thread of their own, so that a command can
// stop cleanly on the first one and the program ends at once on a second.
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>

namespace concbench {

// Ends the process at once with `status`, every thread with it, like _exit. Made directly, as
// exit_group: a sanitizer's _exit first waits and checks its threads while the others go on.
[[noreturn]] void EndNow(int status);

// Takes SIGINT, SIGTERM and SIGHUP for the whole program. Until Cooperate(), the first one
// ends the process at once with status 130 (nothing is under way that needs undoing); after,
// it requests `stop`, which the command honours, and a second signal, or a command still
// running kGiveUp after the first, ends the process at once with status 130. Made before any
// other thread of the program starts (they inherit the blocked signals).
class SignalWatcher {
 public:
  explicit SignalWatcher(std::stop_source stop);

  // From now on the first signal requests stop instead of ending the process.
  void Cooperate() { cooperative_ = true; }

 private:
  static constexpr std::chrono::seconds kGiveUp{10};

  void Watch(const sigset_t& signals, std::stop_source& stop, std::stop_token done);

  static inline std::atomic<int> caught_elsewhere{0};  // lock-free: safe in a handler
  std::atomic<bool> cooperative_{false};
  std::jthread thread_;  // last: joined before the members it reads are destroyed
};

}  // namespace concbench
