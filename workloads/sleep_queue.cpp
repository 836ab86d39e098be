#include "workloads/sleep_queue.hpp"

#include <algorithm>
#include <boost/asio/append.hpp>
#include <boost/asio/dispatch.hpp>
#include <utility>

#include "concbench/workload.hpp"
#include "workloads/on_stop.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;

// Heap order: the earliest deadline on top.
bool Later(const auto& a, const auto& b) { return a.deadline > b.deadline; }

}  // namespace

SleepQueue::SleepQueue(asio::io_context& context)
    : asio::execution_context::service(context),
      context_(context),
      timer_(context),
      cancelled_(std::make_exception_ptr(TaskCancelled())) {}

SleepQueue::~SleepQueue() = default;

void SleepQueue::shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  heap_.clear();
  for (auto& waiting : handlers_) {  // each handler hands its coroutine to the loop to destroy
    if (auto* sleeper = std::get_if<SleepFor*>(&waiting)) (*sleeper)->Destroy();
  }
  handlers_.clear();
  tokens_.clear();
}

void SleepQueue::OnStop::operator()() const noexcept {
  SleepQueue* target = queue;
  std::uint64_t token_id = id;
  PostFromStopCallback(target->context_.get_executor(),
                       [target, token_id] { target->Cancel(token_id); });
}

std::size_t SleepQueue::size() const {
  std::lock_guard lock(mutex_);
  return heap_.size();
}

template <typename Resumer>
void SleepQueue::Enter(Clock::time_point deadline, const std::stop_token& stop, Resumer resumer) {
  std::uint32_t token = AcquireToken(stop);
  std::uint32_t slot = kNoToken;
  try {
    slot = TakeHandlerSlot();
    heap_.push_back(Entry{deadline, slot, token});
  } catch (...) {  // std::bad_alloc; the resumer is still the caller's
    if (slot != kNoToken)
      handlers_[slot].emplace<std::uint32_t>(std::exchange(free_handler_, slot));
    ReleaseToken(token);
    throw;
  }
  handlers_[slot].emplace<Resumer>(std::move(resumer));
  std::push_heap(heap_.begin(), heap_.end(), Later<Entry, Entry>);
  Arm();
}

void SleepQueue::Wait(Clock::time_point deadline, const std::stop_token& stop,
                      SleepHandler handler) {
  std::unique_lock lock(mutex_);
  if (shut_down_) return;
  if (stop.stop_requested()) {
    lock.unlock();
    asio::post(asio::append(std::move(handler), cancelled_));
    return;
  }
  Enter(deadline, stop, std::move(handler));
}

bool SleepQueue::Wait(Clock::time_point deadline, const std::stop_token& stop, SleepFor* sleeper) {
  std::unique_lock lock(mutex_);
  if (shut_down_) {
    lock.unlock();
    sleeper->Destroy();
    return true;
  }
  if (stop.stop_requested()) {
    sleeper->cancelled = true;
    return false;
  }
  Enter(deadline, stop, sleeper);
  return true;
}

std::uint32_t SleepQueue::AcquireToken(const std::stop_token& stop) {
  if (!stop.stop_possible()) return kNoToken;
  std::uint32_t free = kNoToken;
  for (std::uint32_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].waiters > 0 && tokens_[i].token == stop) {
      ++tokens_[i].waiters;
      return i;
    }
    if (tokens_[i].waiters == 0 && free == kNoToken) free = i;
  }
  if (free == kNoToken) {
    tokens_.emplace_back();
    free = static_cast<std::uint32_t>(tokens_.size() - 1);
  }
  Token& slot = tokens_[free];
  slot.token = stop;
  slot.id = next_token_id_++;
  slot.waiters = 1;
  // Runs at once when stop was requested meanwhile: the posted cancel then finds this wait.
  slot.on_stop.emplace(stop, OnStop{this, slot.id});
  return free;
}

void SleepQueue::ReleaseToken(std::uint32_t token) {
  if (token == kNoToken || --tokens_[token].waiters > 0) return;
  // Safe under the lock: a callback running on another thread only posts.
  tokens_[token].on_stop.reset();
  tokens_[token].token = {};
}

std::uint32_t SleepQueue::TakeHandlerSlot() {
  if (free_handler_ == kNoToken) {
    handlers_.emplace_back(std::in_place_type<std::uint32_t>, kNoToken);
    free_handler_ = static_cast<std::uint32_t>(handlers_.size() - 1);
  }
  std::uint32_t slot = free_handler_;
  free_handler_ = std::get<std::uint32_t>(handlers_[slot]);
  return slot;
}

void SleepQueue::Arm() {
  if (heap_.empty()) {
    // A wait left pending would keep the loop running to its deadline, though none waits.
    if (armed_for_) {
      armed_for_.reset();
      ++generation_;
      timer_.cancel();
    }
    return;
  }
  Clock::time_point next = heap_.front().deadline;
  if (armed_for_ && *armed_for_ <= next) return;
  armed_for_ = next;
  std::uint64_t generation = ++generation_;
  timer_.expires_at(next);
  timer_.async_wait([this, generation](const boost::system::error_code& error) {
    if (!error) OnTimer(generation);
  });
}

void SleepQueue::OnTimer(std::uint64_t generation) {
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;  // an earlier deadline re-armed the timer since
    armed_for_.reset();
  }
  ResumeDue();
}

void SleepQueue::Cancel(std::uint64_t token_id) {
  {
    std::lock_guard lock(mutex_);
    auto slot = std::find_if(tokens_.begin(), tokens_.end(), [&](const Token& token) {
      return token.waiters > 0 && token.id == token_id;
    });
    if (slot == tokens_.end()) return;
    auto index = static_cast<std::uint32_t>(slot - tokens_.begin());
    for (Entry& entry : heap_) {
      if (entry.token == index) entry.deadline = Clock::time_point::min();
    }
    std::make_heap(heap_.begin(), heap_.end(), Later<Entry, Entry>);
  }
  ResumeDue();
}

void SleepQueue::ResumeDue() {
  Clock::time_point now = Clock::now();
  for (;;) {
    std::unique_lock lock(mutex_);
    if (heap_.empty() || heap_.front().deadline > now) {
      Arm();
      return;
    }
    std::pop_heap(heap_.begin(), heap_.end(), Later<Entry, Entry>);
    Entry entry = heap_.back();
    heap_.pop_back();
    bool stopped = entry.deadline == Clock::time_point::min() ||
                   (entry.token != kNoToken && tokens_[entry.token].token.stop_requested());
    ReleaseToken(entry.token);
    auto& waiting = handlers_[entry.handler];
    if (auto* sleeper = std::get_if<SleepFor*>(&waiting)) {
      SleepFor* resumed = *sleeper;
      waiting.emplace<std::uint32_t>(std::exchange(free_handler_, entry.handler));
      lock.unlock();
      resumed->Resume(stopped);
      continue;
    }
    SleepHandler handler = std::move(std::get<SleepHandler>(waiting));
    waiting.emplace<std::uint32_t>(std::exchange(free_handler_, entry.handler));
    lock.unlock();
    // Resumes the coroutine here when its executor runs on this thread, else queues it there.
    asio::dispatch(asio::append(std::move(handler), stopped ? cancelled_ : nullptr));
  }
}

}  // namespace concbench
