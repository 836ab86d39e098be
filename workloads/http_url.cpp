// ParseHttpUrl: --url checked and split with Boost.URL; ResolveHttpUrl: its address.
#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <string>

#include "workloads/http.hpp"

namespace concbench {

HttpUrl ParseHttpUrl(std::string_view text) {
  // Checked before parsing: Boost.URL 1.81 fails an assertion (in builds that keep them) on a
  // scheme, no "//" and a character no URL holds ("http:`").
  std::string scheme(text.substr(0, 7));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http://") {
    throw ParamError(fmt::format("--url: '{}': only http:// URLs are supported", text));
  }
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    throw ParamError(fmt::format("--url: '{}' is not a URL ({})", text, parsed.error().message()));
  }
  const boost::urls::url_view& url = *parsed;
  if (url.scheme_id() != boost::urls::scheme::http) {
    throw ParamError(fmt::format("--url: '{}': only http:// URLs are supported", text));
  }
  if (url.has_userinfo()) {
    throw ParamError(fmt::format("--url: '{}': user names and passwords are not supported", text));
  }
  if (url.encoded_host().empty()) {
    throw ParamError(fmt::format("--url: '{}' names no host", text));
  }
  std::uint16_t port = 80;
  if (url.has_port()) {
    std::string_view digits = url.port();
    unsigned number = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        number == 0 || number > 65535) {
      throw ParamError(fmt::format("--url: '{}': the port must be 1-65535", text));
    }
    port = static_cast<std::uint16_t>(number);
  }
  // Boost.URL 1.81 takes "host:80a/x" as port 80 and the path "a/x"; a path after an authority
  // starts with '/' (RFC 3986), so anything else is a malformed host or port.
  if (!url.encoded_path().empty() && !url.encoded_path().starts_with('/')) {
    throw ParamError(fmt::format(
        "--url: '{}': the host or port is malformed (after them comes '/', '?' or the end)", text));
  }
  std::string target = url.encoded_path().empty() ? "/" : std::string(url.encoded_path());
  if (url.has_query()) {
    target.push_back('?');
    target.append(url.encoded_query().data(), url.encoded_query().size());
  }
  return {std::string(url.host_address()), port, std::move(target),
          std::string(url.encoded_host_and_port())};
}

boost::asio::ip::tcp::endpoint ResolveHttpUrl(const HttpUrl& url) {
  boost::asio::io_context context(1);
  boost::asio::ip::tcp::resolver resolver(context);
  boost::system::error_code error;
  auto endpoints = resolver.resolve(url.host, std::to_string(url.port), error);
  if (error || endpoints.empty()) {
    throw ParamError(fmt::format("--url: cannot resolve '{}': {}", url.host,
                                 error ? error.message() : "no address"));
  }
  return endpoints.begin()->endpoint();
}

}  // namespace concbench
