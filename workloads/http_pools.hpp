// The idle keep-alive connections of the http workload's clients: one pool per process for the
// blocking clients, one per event loop for the awaitable ones.
#pragma once

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace concbench {

inline constexpr std::size_t kMaxIdle = 64;  // idle connections kept per pool

// A blocking client's connection, with the context its socket needs (never run: the client
// only makes synchronous calls). One context per connection keeps forked workers from sharing
// one with their parent.
struct BlockingConnection {
  boost::asio::io_context context{1};
  boost::asio::ip::tcp::socket socket{context};
};

// The idle keep-alive connections of the blocking clients of one process. A thread takes one
// for a request and gives it back after, so each thread keeps reusing a connection.
class BlockingIdlePool {
 public:
  ~BlockingIdlePool() { Clear(); }

  std::unique_ptr<BlockingConnection> Take() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) return nullptr;
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }

  void Put(std::unique_ptr<BlockingConnection> connection) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(connection));
  }

  void Clear() {
    std::lock_guard lock(mutex_);
    idle_.clear();
  }

  // In a forked worker (Workload::after_fork), the connections are its parent's: leave them
  // alone, start empty.
  void ForgetAfterFork() {
    for (auto& connection : idle_) static_cast<void>(connection.release());
    idle_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<BlockingConnection>> idle_;
};

// The idle keep-alive sockets of one event loop. It lives in the loop's execution context, so
// its sockets are closed when the loop shuts down and never outlive it.
class AsyncIdlePool : public boost::asio::execution_context::service {
 public:
  static boost::asio::execution_context::id id;

  explicit AsyncIdlePool(boost::asio::execution_context& context) : service(context) {}

  // Moves an idle socket to `endpoint` into `socket`; false when there is none.
  bool Take(const boost::asio::ip::tcp::endpoint& endpoint, boost::asio::ip::tcp::socket& socket) {
    std::lock_guard lock(mutex_);
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
      if (it->first != endpoint) continue;
      socket = std::move(it->second);
      idle_.erase(std::next(it).base());
      return true;
    }
    return false;
  }

  void Put(const boost::asio::ip::tcp::endpoint& endpoint, boost::asio::ip::tcp::socket socket) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.emplace_back(endpoint, std::move(socket));
  }

 private:
  void shutdown() override {
    std::lock_guard lock(mutex_);
    idle_.clear();
  }

  std::mutex mutex_;
  std::vector<std::pair<boost::asio::ip::tcp::endpoint, boost::asio::ip::tcp::socket>> idle_;
};

}  // namespace concbench
