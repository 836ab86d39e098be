// WaitTask: concbench's own coroutine type for tasks that only wait on timers, the lean
// awaitable form of Workload::run_wait. A waiting task costs its frame (about 100-150 bytes,
// the promise being 24 of them) and a 32-byte place in its loop's sleep queue, where an
// asio::awaitable task costs about 1 KB (co_spawn's entry frame, its own frame and the wait's
// initiation). Inside, a WaitTask may co_await SleepFor (a deadline in the loop's shared timer
// queue) and other WaitTasks; for sockets, files or anything else of Asio, use run_async.
//
// A WaitTask starts suspended. The asio engine starts it with Start() on its loop's thread;
// from then on it runs on that thread only, and its frame is freed when it ends (or, unresumed,
// when the loop is destroyed).
#pragma once

#include <boost/asio/io_context.hpp>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <stop_token>
#include <string>
#include <utility>

#include "concbench/params.hpp"

namespace concbench {

// Where started WaitTasks end, and the loop they wait on. Implemented by the engine that starts
// them; it outlives every task started on it.
class WaitRoot {
 public:
  explicit WaitRoot(boost::asio::io_context& loop) : loop_(loop) {}
  virtual ~WaitRoot() = default;

  boost::asio::io_context& loop() const { return loop_; }
  // Task `index` returned `value` / threw `error` (TaskCancelled when it was stopped). Called
  // on the loop's thread, once per task that ended.
  virtual void Returned(std::size_t index, std::string value) noexcept = 0;
  virtual void Threw(std::size_t index, std::exception_ptr error) noexcept = 0;

 private:
  boost::asio::io_context& loop_;
};

struct SleepFor;

class WaitTask {
 public:
  struct promise_type;
  using Handle = std::coroutine_handle<promise_type>;

  // Where an awaited (child) task puts its answer for the task awaiting it.
  struct Slot {
    std::string value;
    std::exception_ptr error;
  };

  struct promise_type {
    Handle parent;             // the task awaiting this one; null for a started (root) task
    WaitRoot* root = nullptr;  // the started task's root, shared by its children
    union {
      std::size_t index = 0;  // a root task's index in its root
      Slot* slot;             // where a child's answer goes
    };

    WaitTask get_return_object() { return WaitTask(Handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(Handle self) noexcept;
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_value(std::string value);
    void unhandled_exception() noexcept;
    // What a WaitTask may co_await: a SleepFor or another WaitTask; nothing else compiles.
    SleepFor&& await_transform(SleepFor&& sleep) noexcept { return std::move(sleep); }
    auto await_transform(WaitTask&& task) noexcept { return std::move(task).operator co_await(); }
  };

  WaitTask() = default;  // no task: the workload has no lean form (see Workload::run_wait)
  WaitTask(WaitTask&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  WaitTask& operator=(WaitTask&& other) noexcept;
  ~WaitTask();

  explicit operator bool() const { return static_cast<bool>(handle_); }

  // Runs the task as task `index` of `root` until its first wait; it reports its end to
  // `root`. Ownership passes to the task itself (its frame is freed when it ends). Call on
  // root.loop()'s thread.
  void Start(WaitRoot& root, std::size_t index) &&;

  // Awaiting another WaitTask runs it, inline, and resumes with its answer (or its exception).
  // The awaited task must not be empty.
  struct Awaiter {
    Handle child;
    Slot slot;
    bool await_ready() noexcept { return false; }
    Handle await_suspend(Handle parent) noexcept;
    std::string await_resume();
  };
  Awaiter operator co_await() && { return Awaiter{handle_, {}}; }

 private:
  explicit WaitTask(Handle handle) : handle_(handle) {}
  Handle handle_;
};

// What `co_await SleepFor(duration, stop)` in a WaitTask waits on: the loop's shared deadline
// queue. Resumes after `duration`, or throws TaskCancelled as soon as `stop` is requested
// (also when it already is).
struct SleepFor {
  SleepFor(Duration wait, std::stop_token token) : duration(wait), stop(std::move(token)) {}

  bool await_ready() noexcept { return cancelled = stop.stop_requested(); }
  // Enters the queue; false (resume now) when `stop` was requested meanwhile.
  bool await_suspend(WaitTask::Handle task);
  void await_resume() const;

  // Ends the wait: resumes the task, with TaskCancelled when `cancelled`. For the queue.
  void Resume(bool was_cancelled) noexcept;
  // Destroys the suspended task (the started task it is part of) unresumed. For the queue.
  void Destroy() noexcept;

  Duration duration;
  std::stop_token stop;
  WaitTask::Handle task;
  bool cancelled = false;
};

}  // namespace concbench
