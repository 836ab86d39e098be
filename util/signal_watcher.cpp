#include "util/signal_watcher.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <optional>

namespace concbench {

void EndNow(int status) {
  ::syscall(SYS_exit_group, status);
  ::_exit(status);  // not reached
}

SignalWatcher::SignalWatcher(std::stop_source stop) {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, signal);
  // A thread started before this one (a sanitizer's) does not block them: there a handler
  // passes the signal on to the watcher instead of the default action ending the process. It
  // is in place before they are blocked, so no moment is left where that thread would die.
  struct sigaction forward {};
  forward.sa_handler = [](int signal) { caught_elsewhere.store(signal); };
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &forward, nullptr);
  // Blocked before the thread starts, so every thread started after inherits the mask.
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    thread_ = std::jthread(
        [this, signals, stop](std::stop_token done) mutable { Watch(signals, stop, done); });
  } catch (const std::exception& e) {
    // No thread to take them: signals end the process at once (async-signal-safe).
    struct sigaction action {};
    action.sa_handler = [](int) { EndNow(130); };
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
    ::pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    if (caught_elsewhere.load() != 0) EndNow(130);
    std::fprintf(stderr,
                 "concbench: warning: cannot start the signal watcher (%s); SIGINT, SIGTERM "
                 "and SIGHUP end the program at once\n",
                 e.what());
  }
}

void SignalWatcher::Watch(const sigset_t& signals, std::stop_source& stop, std::stop_token done) {
  const timespec tick{0, 50'000'000};
  std::optional<std::chrono::steady_clock::time_point> give_up;
  while (!done.stop_requested()) {
    int signal = ::sigtimedwait(&signals, nullptr, &tick);
    // Passed on by the handler: only ever a first signal (a sanitizer's thread can see the
    // same signal the watcher takes, and that must not count as a second one).
    if (signal < 0 && caught_elsewhere.exchange(0) > 0 && !stop.stop_requested()) signal = SIGINT;
    if (signal <= 0) {
      if (give_up && std::chrono::steady_clock::now() >= *give_up) {
        std::fprintf(stderr, "concbench: still stopping after %lld s; ending at once\n",
                     static_cast<long long>(kGiveUp.count()));
        EndNow(130);
      }
      continue;
    }
    if (!cooperative_ || stop.stop_requested()) EndNow(130);
    stop.request_stop();
    give_up = std::chrono::steady_clock::now() + kGiveUp;
  }
}

}  // namespace concbench
