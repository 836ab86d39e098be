// The http and file workloads on every engine, their checks, stop handling and cleanup.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "engines/registry.hpp"
#include "tests/registry_names.hpp"
#include "workloads/file.hpp"
#include "workloads/http.hpp"
#include "workloads/http_server.hpp"
#include "workloads/payload.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Params Defaults(const std::vector<ParamSpec>& specs, std::map<std::string, std::string> given) {
  Params params;
  for (const ParamSpec& spec : specs) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (auto& [key, value] : given) params.set(key, value);
  return params;
}

std::unique_ptr<Engine> MakeEngine(const std::string& name) {
  const EngineInfo* info = FindEngine(name);
  EXPECT_NE(info, nullptr) << name;
  Params params = Defaults(info->params, {{"workers", "2"}});
  return info->make(params);
}

// Runs every task once as the harness does (begin_run, run, end_run); returns the metrics.
nlohmann::json RunAll(const Workload& workload, Engine& engine, EngineRun& run,
                      std::stop_token stop = {}) {
  workload.begin_run();
  run = engine.run(workload, stop);
  return workload.end_run(run.records);
}

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

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "concbench-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::size_t entries() const {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::recursive_directory_iterator(path_)) ++count;
    return count;
  }

 private:
  fs::path path_;
};

TEST(Params, ParsesByteCountsWithUnits) {
  std::string why;
  EXPECT_EQ(ParseBytes("0", &why), 0u);
  EXPECT_EQ(ParseBytes("65536", &why), 65536u);
  EXPECT_EQ(ParseBytes("64KiB", &why), 65536u);
  EXPECT_EQ(ParseBytes("3MiB", &why), 3u << 20);
  EXPECT_EQ(ParseBytes("2GiB", &why), 2ull << 30);
  EXPECT_EQ(ParseBytes("7B", &why), 7u);
  for (const char* bad : {"", "KiB", "1.5MiB", "-1", "64kb", "64 KiB", "99999999999999GiB"}) {
    EXPECT_FALSE(ParseBytes(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  EXPECT_EQ(ValidateParam(ParamType::kBytes, "1MiB"), "");
  EXPECT_NE(ValidateParam(ParamType::kBytes, "1MB"), "");
  EXPECT_EQ(ValidateParam(ParamType::kText, "x"), "");
  EXPECT_NE(ValidateParam(ParamType::kText, ""), "");
  Params params;
  params.set("size", "lots");
  EXPECT_THROW(params.bytes("size"), ParamError);
}

TEST(Payload, ChecksumIsTheSameFedWholeOrInPieces) {
  std::string payload = PayloadPattern(1000);
  StampPayload(payload, 42);
  EXPECT_TRUE(payload.starts_with("task 42;"));
  std::uint64_t whole = ChecksumOf(payload);
  for (std::size_t cut : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u}) {
    Checksum sum;
    sum.Update(std::string_view(payload).substr(0, cut));
    sum.Update(std::string_view(payload).substr(cut));
    EXPECT_EQ(sum.Value(), whole) << cut;
  }
  EXPECT_EQ(PayloadChecksum(PayloadPattern(1000), 42), whole);
  EXPECT_NE(PayloadChecksum(PayloadPattern(1000), 43), whole);
  std::string flipped = payload;
  flipped[600] ^= 1;
  EXPECT_NE(ChecksumOf(flipped), whole);
  EXPECT_NE(ChecksumOf(payload + '\0'), whole);  // the length counts
  EXPECT_EQ(PayloadPattern(5), PayloadPattern(5));
  EXPECT_EQ(PayloadStamp(123, 4), "task");
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
}

TEST(HttpUrl, RejectsBadUrlsNamingTheOption) {
  for (const char* bad : {"https://example.com/", "ftp://example.com/", "example.com", "not a url",
                          "http://", "http:///path", "http://host:0/", "http://host:99999/",
                          "http://user:pw@host/", "http://host:x/"}) {
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
  EXPECT_DOUBLE_EQ(workload->ideal_seconds({}, 2, 2), 0.06);  // 6 x 20 ms over 2 lanes
  EXPECT_DOUBLE_EQ(workload->ideal_seconds({}, 100, 2), 0.02);
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

class FileOnEveryEngine : public ::testing::TestWithParam<std::string> {};

TEST_P(FileOnEveryEngine, EveryTaskReadsBackWhatItWroteAndLeavesNoFile) {
  TempDir parent;
  auto workload = MakeFileWorkload(Defaults(
      FileParams(), {{"tasks", "5"}, {"size", "300000"}, {"dir", parent.path().string()}}));
  auto engine = MakeEngine(GetParam());
  for (int repetition = 0; repetition < 2; ++repetition) {
    EngineRun run;
    nlohmann::json metrics = RunAll(*workload, *engine, run);
    EXPECT_EQ(run.error, "");
    ASSERT_EQ(run.records.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(run.records[i].status, TaskStatus::kOk) << run.records[i].result;
      EXPECT_EQ(workload->check(i, run.records[i]), "") << i;
    }
    EXPECT_EQ(metrics["io"], GetParam() == "asio" ? "thread_pool offload" : "blocking");
    EXPECT_GT(workload->ideal_seconds(run.records, engine->lanes(*workload), 2), 0.0);
    EXPECT_EQ(parent.entries(), 0u) << "the run's folder outlived end_run";
  }
  workload.reset();
  EXPECT_EQ(parent.entries(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, FileOnEveryEngine,
                         ::testing::ValuesIn(testing::EngineNames()), testing::TestName);

TEST(File, CheckRejectsWhatTheTaskDidNotWrite) {
  TempDir parent;
  auto workload = MakeFileWorkload(
      Defaults(FileParams(), {{"tasks", "2"}, {"size", "64KiB"}, {"dir", parent.path().string()}}));
  TaskRecord record = RunTaskBlocking(*workload, 1, std::stop_token());
  ASSERT_EQ(record.status, TaskStatus::kOk) << record.result;
  EXPECT_EQ(workload->check(1, record), "");
  EXPECT_NE(workload->check(0, record).find("read back"), std::string::npos);
  record.result = DescribePayload(65535, 0);
  EXPECT_NE(workload->check(1, record), "");
}

TEST(File, AFailingRunLeavesNoFiles) {
  TempDir parent;
  auto workload = MakeFileWorkload(
      Defaults(FileParams(), {{"tasks", "4"}, {"size", "10000"}, {"dir", parent.path().string()}}));
  // The workload's folder is the one entry under `parent`; a folder in the way of task 2's file
  // makes that task fail.
  fs::path folder = fs::directory_iterator(parent.path())->path();
  fs::create_directory(folder / "task-2");
  auto engine = MakeEngine("pool");
  EngineRun run = engine->run(*workload, std::stop_token());
  EXPECT_EQ(run.records[2].status, TaskStatus::kFailed);
  EXPECT_NE(run.records[2].result.find("task-2"), std::string::npos) << run.records[2].result;
  EXPECT_EQ(run.records[3].status, TaskStatus::kOk);
  // Every task removes its own file, whatever happened.
  std::size_t left = 0;
  for (const auto& entry : fs::directory_iterator(folder)) left += entry.is_regular_file();
  EXPECT_EQ(left, 0u);
  workload->end_run(run.records);
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, AStoppedTaskLeavesNoFileAndTheFolderGoesWithTheWorkload) {
  TempDir parent;
  auto workload = MakeFileWorkload(
      Defaults(FileParams(), {{"tasks", "2"}, {"size", "8MiB"}, {"dir", parent.path().string()}}));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THROW(workload->run_blocking(0, stop.get_token()), TaskCancelled);
  EXPECT_EQ(parent.entries(), 1u);  // the folder, empty
  workload.reset();                 // as after Ctrl-C: no end_run
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, StopEndsAnAsioRunOfLargeFilesPromptly) {
  TempDir parent;
  auto workload = MakeFileWorkload(Defaults(
      FileParams(), {{"tasks", "200"}, {"size", "32MiB"}, {"dir", parent.path().string()}}));
  auto engine = MakeEngine("asio");
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  EngineRun run;
  RunAll(*workload, *engine, run, stop.get_token());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);  // 6.4 GB would take far longer
  std::size_t stopped = 0;
  for (const TaskRecord& record : run.records) stopped += record.status != TaskStatus::kOk;
  EXPECT_GT(stopped, 0u);
  EXPECT_EQ(parent.entries(), 0u);
}

TEST(File, BadDirIsAParamErrorNamingDir) {
  TempDir parent;
  fs::path not_a_folder = parent.path() / "plain-file";
  std::ofstream(not_a_folder) << "x";
  for (std::string dir :
       {std::string("/nonexistent-concbench-dir"), not_a_folder.string(), std::string("/proc")}) {
    try {
      MakeFileWorkload(Defaults(FileParams(), {{"dir", dir}}));
      ADD_FAILURE() << "accepted " << dir;
    } catch (const ParamError& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("--dir")) << e.what();
      EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace concbench
