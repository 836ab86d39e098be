// The waits of SleepAsync on an io_context: one queue per io_context (an Asio service) keeps
// every waiting coroutine in a heap ordered by deadline and arms one steady_timer for the
// earliest, as Node's and tokio's timers do. A wait then costs a 16-byte heap entry and the
// coroutine's 8-byte handler, instead of a timer, a wait operation and a stop callback of its
// own. Each coroutine still suspends alone and resumes alone at its own deadline.
//
// Stop: one stop callback per distinct stop token that has waits in the queue (in the engines,
// the run's one token); when it fires it posts the cancellation to the loop, which resumes
// every wait on that token with TaskCancelled. Thread-safe: the loop may be run by several
// threads; handlers are resumed through their own executors.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stop_token>
#include <variant>

#include "concbench/wait_task.hpp"

namespace concbench {

// What resumes a coroutine suspended in SleepAsync: no exception, or TaskCancelled. (A WaitTask
// suspended in SleepFor is resumed through its SleepFor.)
using SleepHandler = boost::asio::async_result<boost::asio::use_awaitable_t<>,
                                               void(std::exception_ptr)>::handler_type;

class SleepQueue : public boost::asio::execution_context::service {
 public:
  using Clock = std::chrono::steady_clock;
  static inline boost::asio::execution_context::id id;

  explicit SleepQueue(boost::asio::io_context& context);
  ~SleepQueue() override;

  // Resumes `handler` once `deadline` has passed, or with TaskCancelled as soon as `stop` is
  // requested (also when it already is, or when it is by the deadline). Throws std::bad_alloc
  // when the queue cannot grow (`handler` is then destroyed, and its coroutine with it). Once
  // the io_context shuts down (it is being destroyed), `handler` is destroyed unresumed.
  void Wait(Clock::time_point deadline, const std::stop_token& stop, SleepHandler handler);
  // The same for a WaitTask's SleepFor, which the queue resumes (or destroys) in place, on the
  // thread that finds it due: the loop's, where WaitTasks run. Returns false, having set
  // `sleeper->cancelled`, when `stop` is requested already: the task then goes on at once.
  bool Wait(Clock::time_point deadline, const std::stop_token& stop, SleepFor* sleeper);

  // Waits in the queue now; for tests and benchmarks.
  std::size_t size() const;

 private:
  static constexpr std::uint32_t kNoToken = UINT32_MAX;

  struct Entry {
    Clock::time_point deadline;  // Clock::time_point::min() once cancelled
    std::uint32_t handler;       // index in handlers_
    std::uint32_t token;         // index in tokens_, or kNoToken
  };
  struct OnStop {
    SleepQueue* queue;
    std::uint64_t id;
    void operator()() const noexcept;
  };
  // A stop token that waits in the queue honour, with its one callback.
  struct Token {
    std::stop_token token;
    std::uint64_t id = 0;     // tells this use of the slot from earlier ones
    std::size_t waiters = 0;  // 0: the slot is free
    std::optional<std::stop_callback<OnStop>> on_stop;
  };

  void shutdown() override;
  std::uint32_t AcquireToken(const std::stop_token& stop);  // with the lock held
  void ReleaseToken(std::uint32_t token);                   // with the lock held
  std::uint32_t TakeHandlerSlot();                          // with the lock held
  void Arm();                                               // with the lock held
  // Files a wait whose resumer is already in handlers_[slot]; throws std::bad_alloc (the slot
  // is then freed again).
  template <typename Resumer>
  void Enter(Clock::time_point deadline, const std::stop_token& stop, Resumer resumer);
  void OnTimer(std::uint64_t generation);
  void Cancel(std::uint64_t token_id);
  // Resumes every wait due now (and every cancelled one), then arms the timer for the next.
  void ResumeDue();

  boost::asio::io_context& context_;
  mutable std::mutex mutex_;
  std::deque<Entry> heap_;  // a min-heap on deadline
  // A waiting handler, or (free) the index of the next free slot.
  std::deque<std::variant<SleepHandler, SleepFor*, std::uint32_t>> handlers_;
  std::uint32_t free_handler_ = kNoToken;
  std::deque<Token> tokens_;
  std::uint64_t next_token_id_ = 1;
  boost::asio::steady_timer timer_;
  std::optional<Clock::time_point> armed_for_;
  std::uint64_t generation_ = 0;  // of the timer's latest wait
  std::exception_ptr cancelled_;  // one TaskCancelled, rethrown in every cancelled wait
  bool shut_down_ = false;
};

}  // namespace concbench
