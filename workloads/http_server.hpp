// The loopback HTTP/1.1 server the http workload talks to, on its own thread and io_context so
// it never shares a loop with the engine under test.
//
// GET /task/<i> answers 200 with task i's payload (workloads/payload.hpp) of `body_size` bytes
// after waiting `latency` on a timer, so any number of requests wait at once, as a remote API
// would. Any other path answers 404, any other method 405. Connections stay open when the
// client asks for keep-alive. Destroying the server stops its thread and closes every socket.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

#include "concbench/params.hpp"
#include "util/threads.hpp"

namespace concbench {

class HttpServer {
 public:
  // Listens on 127.0.0.1 at an ephemeral port and starts serving. Throws boost::system's
  // system_error when it cannot listen, std::runtime_error when the OS refuses its thread.
  HttpServer(Duration latency, std::uint64_t body_size);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const { return port_; }

  // Connections accepted and requests answered since the last ResetCounts(). Thread-safe.
  std::uint64_t connections_accepted() const { return connections_.load(); }
  std::uint64_t requests_answered() const { return requests_.load(); }
  void ResetCounts();
  // True when it ran out of descriptors since the last ResetCounts(). Thread-safe.
  bool ran_out_of_descriptors() const { return out_of_descriptors_.load(); }

 private:
  boost::asio::awaitable<void> Accept();
  // Every 100 ms, takes a connection left waiting while Accept waits for a wakeup that a
  // descriptor shortage made it miss (or refuses it, see Refuse), so no client waits forever.
  boost::asio::awaitable<void> Sweep();
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);
  // Answers one waiting connection 503 with `why` through the spare descriptor, so its client
  // fails at once instead of waiting for an accept that cannot happen; false when it cannot.
  bool Refuse(const std::string& why);

  Duration latency_;
  std::string pattern_;  // PayloadPattern(body_size)
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<bool> out_of_descriptors_{false};
  // Declared in teardown order: the thread is joined first, then the acceptor closed, then the
  // context destroys the sessions it still holds (and their sockets).
  boost::asio::io_context context_{1};
  boost::asio::ip::tcp::acceptor acceptor_{context_};
  std::uint16_t port_ = 0;
  int spare_fd_ = -1;  // kept open to be given up when descriptors run out (see Refuse)
  ThreadGroup thread_;
};

}  // namespace concbench
