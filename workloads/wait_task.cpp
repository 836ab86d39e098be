#include "concbench/wait_task.hpp"

#include <boost/asio/io_context.hpp>

#include "concbench/workload.hpp"
#include "workloads/sleep_queue.hpp"

namespace concbench {

std::coroutine_handle<> WaitTask::promise_type::Final::await_suspend(Handle self) noexcept {
  if (Handle awaiting = self.promise().parent) return awaiting;  // the child is freed by its owner
  self.destroy();  // a started task owns itself: it has reported its end already
  return std::noop_coroutine();
}

void WaitTask::promise_type::return_value(std::string value) {
  if (parent) {
    slot->value = std::move(value);
  } else {
    root->Returned(index, std::move(value));
  }
}

void WaitTask::promise_type::unhandled_exception() noexcept {
  if (parent) {
    slot->error = std::current_exception();
  } else {
    root->Threw(index, std::current_exception());
  }
}

WaitTask& WaitTask::operator=(WaitTask&& other) noexcept {
  if (this != &other) {
    if (handle_) handle_.destroy();
    handle_ = std::exchange(other.handle_, {});
  }
  return *this;
}

WaitTask::~WaitTask() {
  if (handle_) handle_.destroy();
}

void WaitTask::Start(WaitRoot& root, std::size_t index) && {
  Handle task = std::exchange(handle_, {});
  task.promise().root = &root;
  task.promise().index = index;
  task.resume();
}

WaitTask::Handle WaitTask::Awaiter::await_suspend(Handle parent) noexcept {
  promise_type& promise = child.promise();
  promise.parent = parent;
  promise.root = parent.promise().root;
  promise.slot = &slot;
  return child;
}

std::string WaitTask::Awaiter::await_resume() {
  if (slot.error) std::rethrow_exception(slot.error);
  return std::move(slot.value);
}

bool SleepFor::await_suspend(WaitTask::Handle waiting) {
  task = waiting;
  boost::asio::io_context& loop = waiting.promise().root->loop();
  return boost::asio::use_service<SleepQueue>(loop).Wait(SleepQueue::Clock::now() + duration, stop,
                                                         this);
}

void SleepFor::await_resume() const {
  if (cancelled) throw TaskCancelled();
}

void SleepFor::Resume(bool was_cancelled) noexcept {
  cancelled = was_cancelled;
  task.resume();
}

void SleepFor::Destroy() noexcept {
  WaitTask::Handle started = task;
  while (started.promise().parent) started = started.promise().parent;
  started.destroy();  // and with it every child it awaits, down to this one
}

}  // namespace concbench
