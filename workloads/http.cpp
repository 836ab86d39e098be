#include "workloads/http.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "workloads/http_pools.hpp"
#include "workloads/http_server.hpp"
#include "workloads/on_stop.hpp"
#include "workloads/payload.hpp"

namespace concbench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::uint64_t kMaxSize = 256ull << 20;
constexpr std::uint64_t kMaxUrlBody = 1ull << 30;  // what a response from --url may carry

struct HttpConfig {
  std::size_t tasks = 0;
  Duration latency{};
  std::uint64_t size = 0;
  bool keep_alive = false;
  std::string url;  // empty: the local server
};

class HttpWorkload : public Workload {
 public:
  HttpWorkload(HttpConfig config, std::unique_ptr<HttpServer> server, tcp::endpoint endpoint,
               HttpUrl target)
      : config_(std::move(config)),
        server_(std::move(server)),
        endpoint_(std::move(endpoint)),
        target_(std::move(target)),
        pattern_(server_ ? PayloadPattern(config_.size) : "") {}

  std::string_view name() const override { return "http"; }
  TaskKind kind() const override { return TaskKind::kWait; }
  std::size_t task_count() const override { return config_.tasks; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    http::request<http::empty_body> request = Request(index);
    for (int attempt = 0;; ++attempt) {
      auto connection = config_.keep_alive ? blocking_idle_.Take() : nullptr;
      bool reused = connection != nullptr;
      boost::system::error_code error;
      if (!reused) {
        connection = std::make_unique<BlockingConnection>();
        connection->socket.open(endpoint_.protocol(), error);
        if (error) throw std::runtime_error(fmt::format("socket: {}", error.message()));
      }
      http::response_parser<http::string_body> parser;
      parser.body_limit(BodyLimit());
      {
        // Shutting the socket down wakes a blocked connect, write or read on any thread.
        std::stop_callback on_stop(
            stop, [fd = connection->socket.native_handle()] { ::shutdown(fd, SHUT_RDWR); });
        if (!reused) connection->socket.connect(endpoint_, error);
        if (stop.stop_requested()) throw TaskCancelled();
        if (!error) http::write(connection->socket, request, error);
        beast::flat_buffer buffer;
        if (!error) http::read(connection->socket, buffer, parser, error);
      }
      if (error || !parser.is_done()) {
        if (stop.stop_requested()) throw TaskCancelled();
        // The server may have closed an idle connection meanwhile: retry once on a new one.
        if (reused && attempt == 0 && !parser.got_some()) continue;
        throw std::runtime_error(Failure(request, error));
      }
      std::string answer = Answer(request, parser.get());
      if (config_.keep_alive && parser.get().keep_alive() && !stop.stop_requested()) {
        blocking_idle_.Put(std::move(connection));
      }
      return answer;
    }
  }

  asio::awaitable<std::string> run_async(std::size_t index, std::stop_token stop) const override {
    auto executor = co_await asio::this_coro::executor;
    asio::execution_context& context = asio::query(executor, asio::execution::context);
    http::request<http::empty_body> request = Request(index);
    for (int attempt = 0;; ++attempt) {
      auto socket = std::make_shared<tcp::socket>(executor);
      bool reused = config_.keep_alive && asio::has_service<AsyncIdlePool>(context) &&
                    asio::use_service<AsyncIdlePool>(context).Take(endpoint_, *socket);
      // The callback may run on any thread: it only posts the close to the socket's executor,
      // which ends whichever operation is under way.
      std::stop_callback on_stop(stop, [socket] {
        PostFromStopCallback(socket->get_executor(), [socket] {
          boost::system::error_code ignored;
          socket->close(ignored);
        });
      });
      boost::system::error_code error;
      if (!reused) std::tie(error) = co_await socket->async_connect(endpoint_, kAwait);
      if (stop.stop_requested()) throw TaskCancelled();
      if (!error) {
        std::tie(error, std::ignore) = co_await http::async_write(*socket, request, kAwait);
      }
      beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(BodyLimit());
      if (!error) {
        std::tie(error, std::ignore) = co_await http::async_read(*socket, buffer, parser, kAwait);
      }
      if (error || !parser.is_done()) {
        if (stop.stop_requested()) throw TaskCancelled();
        if (reused && attempt == 0 && !parser.got_some()) continue;
        throw std::runtime_error(Failure(request, error));
      }
      std::string answer = Answer(request, parser.get());
      if (config_.keep_alive && parser.get().keep_alive() && !stop.stop_requested()) {
        // Registered after the first socket, so the loop shuts this pool down before its reactor.
        asio::use_service<AsyncIdlePool>(context).Put(endpoint_, std::move(*socket));
      }
      co_return answer;
    }
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    if (!record.result.starts_with("200 ")) {
      return fmt::format("task {}: answered '{}', expected status 200", index, record.result);
    }
    if (!server_) return "";
    std::string expected = Expected(index);
    if (record.result == expected) return "";
    return fmt::format("task {}: received '{}', the server sent '{}'", index, record.result,
                       expected);
  }

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned) const override {
    double latency = std::chrono::duration<double>(config_.latency).count();
    if (!server_) {
      // The server's own latency is unknown: the fastest request stands for it.
      latency = 0;
      bool any = false;
      for (const TaskRecord& record : records) {
        if (record.status != TaskStatus::kOk) continue;
        latency = any ? std::min(latency, record.seconds()) : record.seconds();
        any = true;
      }
    }
    return CompletedFloorSeconds(records, lanes, [&](std::size_t) { return latency; });
  }

  nlohmann::json parameters() const override {
    nlohmann::json params = {{"tasks", config_.tasks}, {"keep_alive", config_.keep_alive}};
    if (server_) {
      params["latency"] = FormatDuration(config_.latency);
      params["size"] = config_.size;
    } else {
      params["url"] = config_.url;
    }
    return params;
  }

  // The same GETs from CPython (tasks.py: Http). A body from the local server is compared with
  // its payload byte for byte there and answered with the text the C++ form would give after
  // the status ("answers"); with --url the interpreter sums what it received.
  nlohmann::json python_form() const override {
    nlohmann::json form = {
        {"form", "http"},
        {"tasks", config_.tasks},
        {"keep_alive", config_.keep_alive},
        {"local", server_ != nullptr},
        {"url", server_ ? fmt::format("http://{}/task/", target_.host_header) : config_.url}};
    if (server_) {
      form["pattern"] = pattern_;
      form["answers"] = PayloadDescriptions(pattern_, config_.tasks);
    }
    return form;
  }

  void after_fork() const override { blocking_idle_.ForgetAfterFork(); }

  void begin_run() const override {
    blocking_idle_.Clear();  // every run starts without connections
    if (server_) server_->ResetCounts();
  }

  nlohmann::json end_run(std::span<const TaskRecord>) const override {
    blocking_idle_.Clear();
    if (!server_) return nlohmann::json::object();
    return {{"connections_opened", server_->connections_accepted()},
            {"requests", server_->requests_answered()}};
  }

 private:
  http::request<http::empty_body> Request(std::size_t index) const {
    std::string target = server_ ? fmt::format("/task/{}", index) : target_.target;
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, target_.host_header);
    request.set(http::field::user_agent, "concbench");
    request.keep_alive(config_.keep_alive);
    return request;
  }

  // Room for the local server's payload, or its refusal (see Answer).
  std::uint64_t BodyLimit() const {
    return server_ ? std::max<std::uint64_t>(config_.size, 4096) : kMaxUrlBody;
  }

  // The summary of `response`; the local server's refusal (503, out of descriptors) is thrown
  // as the task's failure, with its reason.
  std::string Answer(const http::request<http::empty_body>& request,
                     const http::response<http::string_body>& response) const {
    if (server_ && response.result() == http::status::service_unavailable) {
      throw std::runtime_error(fmt::format("GET http://{}{}: {}", target_.host_header,
                                           request.target(), response.body()));
    }
    return Summarize(response);
  }

  std::string Failure(const http::request<http::empty_body>& request,
                      const boost::system::error_code& error) const {
    // A reset backlog (see HttpServer::Refuse) reaches its clients without a reason.
    bool starved = server_ && server_->ran_out_of_descriptors();
    return fmt::format("GET http://{}{}: {}{}", target_.host_header, request.target(),
                       error ? error.message() : "incomplete response",
                       starved ? " (the local server ran out of descriptors: Too many open "
                                 "files; see ulimit -n)"
                               : "");
  }

  static std::string Summarize(const http::response<http::string_body>& response) {
    return fmt::format("{} {}", response.result_int(),
                       DescribePayload(response.body().size(), ChecksumOf(response.body())));
  }

  std::string Expected(std::size_t index) const {
    return fmt::format("200 {}", DescribePayload(config_.size, PayloadChecksum(pattern_, index)));
  }

  HttpConfig config_;
  std::unique_ptr<HttpServer> server_;  // null with --url
  tcp::endpoint endpoint_;
  HttpUrl target_;
  std::string pattern_;  // the local server's payload pattern, for checks
  mutable BlockingIdlePool blocking_idle_;
};

}  // namespace

std::vector<ParamSpec> HttpParams() {
  return {
      {"tasks", ParamType::kCount, "20", "number of tasks"},
      {"latency", ParamType::kDuration, "50ms",
       "the local server's wait before each answer (units s, ms, us)"},
      {"size", ParamType::kBytes, "1024",
       "bytes per task: the HTTP response body or the file (units KiB, MiB, GiB)"},
      {"keep-alive", ParamType::kFlag, "false",
       "http: reuse connections instead of one per request"},
      {"url", ParamType::kText, "", "http: GET this http:// URL instead of a local server"},
  };
}

std::unique_ptr<Workload> MakeHttpWorkload(const Params& params) {
  HttpConfig config;
  std::uint64_t tasks = params.count("tasks");
  if (tasks > 1'000'000) throw ParamError("--tasks: at most 1000000");
  config.tasks = static_cast<std::size_t>(tasks);
  config.keep_alive = params.flag("keep-alive");
  if (params.has("url")) {
    for (const char* option : {"latency", "size"}) {
      if (params.given(option)) {
        throw ParamError(fmt::format("--{}: sets the local server; not with --url", option));
      }
    }
    config.url = params.text("url");
    HttpUrl url = ParseHttpUrl(config.url);
    tcp::endpoint endpoint = ResolveHttpUrl(url);
    return std::make_unique<HttpWorkload>(std::move(config), nullptr, endpoint, std::move(url));
  }
  config.latency = params.duration("latency");
  config.size = params.bytes("size");
  if (config.size > kMaxSize) throw ParamError("--size: at most 256MiB for http");
  auto server = std::make_unique<HttpServer>(config.latency, config.size);
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), server->port());
  HttpUrl local{"127.0.0.1", server->port(), "/", fmt::format("127.0.0.1:{}", server->port())};
  return std::make_unique<HttpWorkload>(std::move(config), std::move(server), endpoint,
                                        std::move(local));
}

}  // namespace concbench
