// `http`: real network I/O on loopback. Task i makes one GET: the blocking form with a
// synchronous Beast client, the awaitable form with an asynchronous one on the awaiting
// coroutine's executor. The workload starts its own server (workloads/http_server.hpp) whose
// answers wait --latency and carry --size bytes, unless --url names a server the user runs.
// Floor: like sleep's, max(latency, tasks x latency / lanes); with --url, the fastest task's
// time stands for the latency. Check: status 200 and, with the local server, the body's size
// and checksum match task i's payload.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/workload.hpp"

namespace concbench {

std::vector<ParamSpec> HttpParams();

// Reads --tasks, --latency, --size, --keep-alive and --url; starts the local server unless
// --url is given. Throws ParamError naming the option.
std::unique_ptr<Workload> MakeHttpWorkload(const Params& params);

// An http:// URL split for a client.
struct HttpUrl {
  std::string host;         // name or address, IPv6 without brackets
  std::uint16_t port;       // 80 when the URL names none
  std::string target;       // path and query, at least "/"
  std::string host_header;  // host[:port] as the URL spells it
};

// Parses and checks an http:// URL. Throws ParamError naming --url with the reason.
HttpUrl ParseHttpUrl(std::string_view text);

// The address `url` names (its first). Throws ParamError naming --url when it does not resolve.
boost::asio::ip::tcp::endpoint ResolveHttpUrl(const HttpUrl& url);

}  // namespace concbench
