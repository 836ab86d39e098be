#include "workloads/http_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "workloads/payload.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// The task index named by a target of the form /task/<i>, or -1.
long long TaskOf(std::string_view target) {
  constexpr std::string_view kPrefix = "/task/";
  if (!target.starts_with(kPrefix)) return -1;
  target.remove_prefix(kPrefix.size());
  unsigned long long task = 0;
  auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), task);
  if (target.empty() || ec != std::errc() || end != target.data() + target.size() ||
      task > 1'000'000'000) {
    return -1;
  }
  return static_cast<long long>(task);
}

}  // namespace

HttpServer::HttpServer(Duration latency, std::uint64_t body_size)
    : latency_(latency), pattern_(PayloadPattern(body_size)) {
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  acceptor_.native_non_blocking(true);
  spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  asio::co_spawn(context_, Accept(), asio::detached);
  asio::co_spawn(context_, Sweep(), asio::detached);
  std::string refused = thread_.Start(1, [this](std::size_t) {
    // Sessions catch their own errors; this only keeps an unforeseen one from ending serving.
    while (!context_.stopped()) {
      try {
        context_.run();
      } catch (...) {
      }
    }
  });
  if (!refused.empty()) {
    if (spare_fd_ >= 0) ::close(spare_fd_);
    throw std::runtime_error("http: the local server: " + refused);
  }
}

HttpServer::~HttpServer() {
  context_.stop();
  thread_.Join();
  if (spare_fd_ >= 0) ::close(spare_fd_);
}

void HttpServer::ResetCounts() {
  connections_ = 0;
  requests_ = 0;
  out_of_descriptors_ = false;
}

asio::awaitable<void> HttpServer::Accept() {
  constexpr std::chrono::milliseconds kFirstPause{1}, kLongestPause{100};
  std::chrono::milliseconds pause = kFirstPause;
  asio::steady_timer timer(context_);
  while (true) {
    auto [error, socket] = co_await acceptor_.async_accept(kAwait);
    if (error == asio::error::operation_aborted) co_return;
    if (error) {
      // Out of descriptors (EMFILE, ENFILE) or memory: a waiting client is answered 503 so it
      // fails now; the loop pauses before trying again rather than spin.
      bool out_of_descriptors = error == asio::error::no_descriptors || error.value() == ENFILE;
      if (out_of_descriptors &&
          Refuse(
              fmt::format("the local server cannot accept: {}; see ulimit -n", error.message()))) {
        continue;
      }
      timer.expires_after(pause);
      co_await timer.async_wait(kAwait);
      pause = std::min(pause * 2, kLongestPause);
      continue;
    }
    pause = kFirstPause;
    ++connections_;
    asio::co_spawn(context_, Serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::Sweep() {
  asio::steady_timer timer(context_);
  std::uint64_t seen = connections_.load();
  while (acceptor_.is_open()) {
    timer.expires_after(std::chrono::milliseconds(100));
    auto [error] = co_await timer.async_wait(kAwait);
    if (error) co_return;
    std::uint64_t now = connections_.load();
    if (std::exchange(seen, now) != now) continue;  // Accept is taking connections
    // Everything waiting now, accepted or refused.
    for (int taken = 0; taken < 1024; ++taken) {
      int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
        std::string why =
            fmt::format("the local server cannot accept: {}; see ulimit -n", std::strerror(errno));
        if (Refuse(why)) continue;
      }
      if (fd < 0) break;  // nothing waiting (EAGAIN), or nothing to be done now
      tcp::socket socket(context_);
      boost::system::error_code adopt_error;
      socket.assign(tcp::v4(), fd, adopt_error);
      if (adopt_error) {
        ::close(fd);
        continue;
      }
      seen = ++connections_;
      asio::co_spawn(context_, Serve(std::move(socket)), asio::detached);
    }
  }
}

bool HttpServer::Refuse(const std::string& why) {
  out_of_descriptors_ = true;
  if (spare_fd_ < 0) spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // lost to a client
  if (spare_fd_ < 0) {
    // Not even a descriptor to refuse one with, while the clients waiting hold the rest: the
    // backlog is reset (its clients fail now, freeing theirs), and the socket, unbound by
    // that, takes its port again and listens.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    boost::system::error_code ignored;
    acceptor_.bind(tcp::endpoint(asio::ip::address_v4::loopback(), port_), ignored);
    acceptor_.listen(asio::socket_base::max_listen_connections, ignored);
    return false;
  }
  ::close(spare_fd_);
  int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
  if (fd >= 0) {
    std::string answer = fmt::format(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        why.size(), why);
    [[maybe_unused]] ssize_t n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    ::close(fd);
  }
  spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd >= 0;
}

asio::awaitable<void> HttpServer::Serve(tcp::socket socket) {
  boost::beast::flat_buffer buffer;
  asio::steady_timer timer(socket.get_executor());
  while (true) {
    http::request<http::empty_body> request;
    auto [read_error, read_bytes] = co_await http::async_read(socket, buffer, request, kAwait);
    if (read_error) break;
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.set(http::field::server, "concbench");
    long long task = TaskOf(request.target());
    if (request.method() != http::verb::get) {
      response.result(http::status::method_not_allowed);
      response.body() = "only GET\n";
    } else if (task < 0) {
      response.result(http::status::not_found);
      response.body() = "no such path; try /task/0\n";
    } else {
      timer.expires_after(latency_);
      co_await timer.async_wait(kAwait);
      response.result(http::status::ok);
      response.set(http::field::content_type, "application/octet-stream");
      response.body() = pattern_;
      StampPayload(response.body(), static_cast<std::size_t>(task));
    }
    response.prepare_payload();
    ++requests_;  // before the client can see the answer, so a finished run counts it
    auto [write_error, written] = co_await http::async_write(socket, response, kAwait);
    if (write_error) break;
    if (!response.keep_alive()) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace concbench
