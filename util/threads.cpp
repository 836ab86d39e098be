#include "util/threads.hpp"

#include <atomic>
#include <cerrno>
#include <exception>
#include <new>
#include <system_error>

namespace concbench {
namespace {

// Threads left before the refusal RefuseThreadsForTesting asked for; 0: no refusal.
std::atomic<std::size_t> refuse_at{0};

void MaybeRefuseForTesting() {
  std::size_t left = refuse_at.load();
  while (left > 1 && !refuse_at.compare_exchange_weak(left, left - 1)) {
  }
  if (left == 1) throw std::system_error(EAGAIN, std::generic_category());
}

}  // namespace

void RefuseThreadsForTesting(std::size_t nth) { refuse_at = nth; }

std::string ThreadGroup::Start(std::size_t count, const std::function<void(std::size_t)>& body) {
  try {
    threads_.reserve(threads_.size() + count);
  } catch (const std::exception& e) {
    return std::string("cannot start threads: ") + e.what();
  }
  for (std::size_t i = 0; i < count; ++i) {
    try {
      MaybeRefuseForTesting();
      threads_.emplace_back([this, body, i] {
        try {
          body(i);
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex_);
          if (failure_.empty()) failure_ = e.what();
        } catch (...) {
          std::lock_guard lock(mutex_);
          if (failure_.empty()) failure_ = "unknown exception";
        }
      });
    } catch (const std::system_error& e) {
      return "the OS refused thread " + std::to_string(i + 1) + " of " + std::to_string(count) +
             " (" + e.code().message() + "); see ulimit -u";
    } catch (const std::exception& e) {  // std::bad_alloc: the thread's copy of `body`
      return "cannot start thread " + std::to_string(i + 1) + " of " + std::to_string(count) +
             " (" + e.what() + ")";
    }
  }
  return "";
}

void ThreadGroup::Join() {
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

std::string ThreadGroup::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

}  // namespace concbench
