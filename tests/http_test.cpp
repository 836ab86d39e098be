// The http workload on every engine, its URL option, its checks, stop handling and cleanup.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/registry_names.hpp"
#include "tests/workload_helpers.hpp"
#include "util/threads.hpp"
#include "workloads/http.hpp"
#include "workloads/http_server.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Defaults;
using testing::MakeEngine;
using testing::RunAll;

// True when a TCP connection to 127.0.0.1:port is accepted.
bool Connects(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

// The TCP ports this process listens on, from its socket descriptors and /proc/net/tcp.
std::set<std::uint16_t> OwnListeningPorts() {
  std::set<std::string> inodes;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    std::string target = fs::read_symlink(entry.path(), error).string();
    if (!error && target.starts_with("socket:["))
      inodes.insert(target.substr(8, target.size() - 9));
  }
  std::set<std::uint16_t> ports;
  std::ifstream table("/proc/self/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    if (state != "0A" || inodes.count(inode) == 0) continue;  // 0A: LISTEN
    ports.insert(static_cast<std::uint16_t>(std::stoul(local.substr(local.find(':') + 1), 0, 16)));
  }
  return ports;
}

TEST(HttpUrl, SplitsAValidUrl) {
  HttpUrl url = ParseHttpUrl("http://127.0.0.1:8080/api/items?id=3");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.target, "/api/items?id=3");
  EXPECT_EQ(url.host_header, "127.0.0.1:8080");
  url = ParseHttpUrl("http://example.com");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(ParseHttpUrl("http://[::1]:81/x").host, "::1");
  EXPECT_EQ(ParseHttpUrl("HTTP://Example.com/A").target, "/A");
}

TEST(HttpUrl, RejectsBadUrlsNamingTheOption) {
  for (const char* bad :
       {"https://example.com/", "ftp://example.com/", "example.com", "not a url", "http://",
        "http:///path", "http://host:0/", "http://host:99999/", "http://user:pw@host/",
        "http://host:x/", "http://host:80a/", "http://host:8080:/x",
        "http://host:99ttp://host:99999/", "http:`", "x:`"}) {
    try {
      ParseHttpUrl(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ParamError& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("--url: ")) << e.what();
    }
  }
}

TEST(Http, RejectsOptionsThatDoNotGoWithUrl) {
  EXPECT_THROW(
      MakeHttpWorkload(Defaults(HttpParams(), {{"url", "http://127.0.0.1:1/"}, {"latency", "1s"}})),
      ParamError);
  EXPECT_THROW(MakeHttpWorkload(Defaults(HttpParams(), {{"url", "http://no-such-host.invalid/"}})),
               ParamError);
  EXPECT_THROW(MakeHttpWorkload(Defaults(HttpParams(), {{"size", "1GiB"}})), ParamError);
}

struct IoCase {
  std::string engine;
  bool keep_alive;
};

std::vector<IoCase> EveryEngineWithAndWithoutKeepAlive() {
  std::vector<IoCase> cases;
  for (bool keep_alive : {false, true}) {
    for (const std::string& engine : testing::EngineNames()) cases.push_back({engine, keep_alive});
  }
  return cases;
}

class HttpOnEveryEngine : public ::testing::TestWithParam<IoCase> {};

TEST_P(HttpOnEveryEngine, EveryRequestCompletesAndPassesItsCheck) {
  auto workload = MakeHttpWorkload(
      Defaults(HttpParams(), {{"tasks", "6"},
                              {"latency", "20ms"},
                              {"size", "3000"},
                              {"keep-alive", GetParam().keep_alive ? "true" : "false"}}));
  auto engine = MakeEngine(GetParam().engine);
  for (int repetition = 0; repetition < 2; ++repetition) {
    EngineRun run;
    nlohmann::json metrics = RunAll(*workload, *engine, run);
    EXPECT_EQ(run.error, "");
    ASSERT_EQ(run.records.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i) {
      EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << run.records[i].result;
      EXPECT_EQ(workload->check(i, run.records[i]), "") << i;
      EXPECT_GE(run.records[i].end - run.records[i].start, 20ms);  // the server's latency
    }
    EXPECT_EQ(metrics["requests"], 6);
    std::uint64_t opened = metrics["connections_opened"];
    if (!GetParam().keep_alive) {
      EXPECT_EQ(opened, 6u);
    }
    // One task at a time reuses one connection, run after run (each run starts afresh).
    if (GetParam().keep_alive && GetParam().engine == "sequential") {
      EXPECT_EQ(opened, 1u);
    }
    if (GetParam().keep_alive && GetParam().engine == "pool") {
      EXPECT_LE(opened, 2u);
    }
  }
  std::vector<TaskRecord> done(6);
  for (TaskRecord& record : done) record.status = TaskStatus::kOk;
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(done, 2, 2), 0.06);  // 6 x 20 ms over 2 lanes
  EXPECT_DOUBLE_EQ(workload->ideal_seconds(done, 100, 2), 0.02);
}

TEST_P(HttpOnEveryEngine, StopEndsARunOfSlowRequestsPromptly) {
  auto workload = MakeHttpWorkload(
      Defaults(HttpParams(), {{"tasks", "4"},
                              {"latency", "30s"},
                              {"keep-alive", GetParam().keep_alive ? "true" : "false"}}));
  auto engine = MakeEngine(GetParam().engine);
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(300ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EngineRun run;
  RunAll(*workload, *engine, run, stop.get_token());
  // Generous on a loaded machine, yet far below the 30 s a request would take.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  for (const TaskRecord& record : run.records) {
    EXPECT_TRUE(record.status == TaskStatus::kCancelled || record.status == TaskStatus::kNotRun)
        << record.result;
  }
  // The server still holds the cancelled requests' timers; it stops at once all the same.
  auto destroying = std::chrono::steady_clock::now();
  workload.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - destroying, 5s);
}

INSTANTIATE_TEST_SUITE_P(Engines, HttpOnEveryEngine,
                         ::testing::ValuesIn(EveryEngineWithAndWithoutKeepAlive()),
                         [](const auto& param_info) {
                           return param_info.param.engine +
                                  (param_info.param.keep_alive ? "_keep_alive" : "");
                         });

TEST(Http, ARefusedServerThreadIsAnErrorNamingTheLimit) {
  RefuseThreadsForTesting(1);
  try {
    testing::MakeWorkload("http", {{"tasks", "2"}});
    ADD_FAILURE() << "the server started although its thread was refused";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "http: the local server: the OS refused thread 1 of 1 (Resource temporarily "
              "unavailable); see ulimit -u");
  }
  RefuseThreadsForTesting(0);
}

TEST(Http, NoListeningSocketOutlivesTheWorkload) {
  std::set<std::uint16_t> before = OwnListeningPorts();
  auto workload = MakeHttpWorkload(Defaults(HttpParams(), {{"tasks", "2"}, {"latency", "1ms"}}));
  std::set<std::uint16_t> during = OwnListeningPorts();
  ASSERT_EQ(during.size(), before.size() + 1);
  std::uint16_t port = 0;
  for (std::uint16_t p : during) {
    if (before.count(p) == 0) port = p;
  }
  EXPECT_TRUE(Connects(port));
  EngineRun run;
  auto engine = MakeEngine("asio");
  RunAll(*workload, *engine, run);
  workload.reset();
  EXPECT_EQ(OwnListeningPorts(), before);
  EXPECT_FALSE(Connects(port));
}

TEST(Http, ANonOkAnswerOrAWrongBodyFailsTheCheck) {
  HttpServer server(1ms, 100);
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  // A path the server does not know answers 404.
  auto missing =
      MakeHttpWorkload(Defaults(HttpParams(), {{"url", base + "/nope"}, {"tasks", "1"}}));
  TaskRecord record = RunTaskBlocking(*missing, 0, std::stop_token());
  ASSERT_EQ(record.status, TaskStatus::kOk) << record.result;
  EXPECT_TRUE(record.result.starts_with("404 ")) << record.result;
  EXPECT_NE(missing->check(0, record).find("expected status 200"), std::string::npos);
  // With --url only the status is checked.
  auto found =
      MakeHttpWorkload(Defaults(HttpParams(), {{"url", base + "/task/3"}, {"tasks", "1"}}));
  record = RunTaskBlocking(*found, 0, std::stop_token());
  EXPECT_EQ(found->check(0, record), "") << record.result;
  EXPECT_NE(found->ideal_seconds(std::span(&record, 1), 1, 1), 0.0);

  // The local server's answers are checked byte for byte: task 1's body is not task 0's.
  auto local = MakeHttpWorkload(Defaults(HttpParams(), {{"tasks", "2"}, {"latency", "1ms"}}));
  TaskRecord first = RunTaskBlocking(*local, 0, std::stop_token());
  TaskRecord second = RunTaskBlocking(*local, 1, std::stop_token());
  EXPECT_EQ(local->check(0, first), "");
  EXPECT_EQ(local->check(1, second), "");
  EXPECT_NE(local->check(1, first).find("the server sent"), std::string::npos);
  first.result.back() = first.result.back() == '0' ? '1' : '0';
  EXPECT_NE(local->check(0, first), "");
}

TEST(Http, ServerCountsAndClosesConnections) {
  auto server = std::make_unique<HttpServer>(1ms, 10);
  std::uint16_t port = server->port();
  EXPECT_TRUE(Connects(port));
  EXPECT_TRUE(Connects(port));
  for (int i = 0; i < 500 && server->connections_accepted() < 2; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server->connections_accepted(), 2u);
  server->ResetCounts();
  EXPECT_EQ(server->connections_accepted(), 0u);
  server.reset();
  EXPECT_FALSE(Connects(port));
}

}  // namespace
}  // namespace concbench
