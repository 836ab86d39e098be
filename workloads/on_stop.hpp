// What a task's stop callback may do: post its cancellation to the executor of the operation it
// ends. A stop callback must not throw (std::terminate); when memory is exhausted the post is
// dropped, and the operation ends on its own or with the run (the engines bound it).
#pragma once

#include <boost/asio/post.hpp>
#include <utility>

namespace concbench {

template <typename Executor, typename Handler>
void PostFromStopCallback(const Executor& executor, Handler&& handler) noexcept {
  try {
    boost::asio::post(executor, std::forward<Handler>(handler));
  } catch (...) {  // std::bad_alloc: see above
  }
}

}  // namespace concbench
