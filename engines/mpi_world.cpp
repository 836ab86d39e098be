#include "engines/mpi_world.hpp"

#include <fmt/format.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>

namespace concbench {
namespace {

constexpr int kTag = 7;           // every message of concbench's protocol
constexpr int kClockPings = 8;    // ping-pongs per rank for its clock offset
constexpr int kSpinProbes = 200;  // probes before a waiting rank starts to sleep

std::unique_ptr<MpiWorld>& World() {
  static std::unique_ptr<MpiWorld> world;
  return world;
}

bool finalized = false;

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(
      fmt::format("mpi: {} failed: {}", what, std::string(text, static_cast<std::size_t>(length))));
}

std::string HostName() {
  char name[MPI_MAX_PROCESSOR_NAME];
  int length = 0;
  Check(MPI_Get_processor_name(name, &length), "MPI_Get_processor_name");
  return std::string(name, static_cast<std::size_t>(length));
}

// Rank 0: every rank's host, pid and clock offset, from kClockPings ping-pongs each.
void Handshake(MpiWorld& world) {
  world.ranks.resize(static_cast<std::size_t>(world.size));
  world.ranks[0] = {0, HostName(), static_cast<long>(::getpid()), 0, 0};
  for (int rank = 1; rank < world.size; ++rank) {
    RankInfo& info = world.ranks[static_cast<std::size_t>(rank)];
    info.rank = rank;
    info.round_trip_ns = std::numeric_limits<std::int64_t>::max();
    for (int i = 0; i < kClockPings; ++i) {
      std::int64_t sent = Now();
      SendMessage(rank, {MpiOp::kPing, 0, 0, sent});
      std::optional<MpiMessage> pong =
          ReceiveMessage(rank, std::chrono::microseconds(100), [] { return false; });
      std::int64_t received = Now();
      if (pong->header.op != MpiOp::kPong) {
        throw std::runtime_error(fmt::format("mpi: rank {} answered a ping out of turn", rank));
      }
      if (received - sent < info.round_trip_ns) {
        info.round_trip_ns = received - sent;
        info.clock_offset_ns = pong->header.time_ns - (sent + (received - sent) / 2);
        std::size_t newline = pong->payload.find('\n');
        info.host = pong->payload.substr(0, newline);
        info.pid = std::atol(pong->payload.c_str() + newline + 1);
      }
    }
  }
}

// Other ranks: answers rank 0's handshake pings (they come first, kClockPings of them).
void AnswerHandshake() {
  std::string identity = fmt::format("{}\n{}", HostName(), ::getpid());
  for (int i = 0; i < kClockPings; ++i) {
    std::optional<MpiMessage> ping =
        ReceiveMessage(0, std::chrono::microseconds(1000), [] { return false; });
    SendMessage(0, {MpiOp::kPong, 0, 0, Now()}, identity);
  }
}

}  // namespace

const MpiWorld* JoinMpiWorld(int* argc, char*** argv) {
  if (World() || !StartedByMpirun()) return World().get();
  int provided = 0;
  Check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  // Errors are returned and turned into exceptions, not MPI's default abort of the whole job.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  auto world = std::make_unique<MpiWorld>();
  Check(MPI_Comm_rank(MPI_COMM_WORLD, &world->rank), "MPI_Comm_rank");
  Check(MPI_Comm_size(MPI_COMM_WORLD, &world->size), "MPI_Comm_size");
  char library[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(library, &length);
  world->library = std::string(library, static_cast<std::size_t>(length));
  world->library = world->library.substr(0, world->library.find_first_of(std::string("\n\0", 2)));
  int major = 0, minor = 0;
  MPI_Get_version(&major, &minor);
  world->standard = fmt::format("{}.{}", major, minor);
  if (world->rank == 0) {
    Handshake(*world);
  } else {
    AnswerHandshake();
  }
  World() = std::move(world);
  return World().get();
}

const MpiWorld* CurrentMpiWorld() { return World().get(); }

void LeaveMpiWorld() {
  if (!World() || finalized) return;
  finalized = true;
  if (World()->rank == 0) {
    for (int rank = 1; rank < World()->size; ++rank) {
      try {
        SendMessage(rank, {MpiOp::kQuit, 0, 0, 0});
      } catch (const std::exception&) {  // a rank that is gone needs no message
      }
    }
  }
  MPI_Finalize();
}

nlohmann::json MpiWorldJson(const MpiWorld& world) {
  nlohmann::json ranks = nlohmann::json::array();
  std::vector<std::string> hosts;
  for (const RankInfo& info : world.ranks) {
    ranks.push_back({{"rank", info.rank},
                     {"host", info.host},
                     {"pid", info.pid},
                     {"clock_offset_us", static_cast<double>(info.clock_offset_ns) / 1e3},
                     {"round_trip_us", static_cast<double>(info.round_trip_ns) / 1e3}});
    if (std::find(hosts.begin(), hosts.end(), info.host) == hosts.end()) {
      hosts.push_back(info.host);
    }
  }
  return {{"library", world.library},
          {"standard", world.standard},
          {"size", world.size},
          {"hosts", hosts},
          {"ranks", ranks}};
}

void SendMessage(int dest, const MpiHeader& header, std::string_view payload) {
  std::string bytes(sizeof header + payload.size(), '\0');
  std::memcpy(bytes.data(), &header, sizeof header);
  if (!payload.empty()) std::memcpy(bytes.data() + sizeof header, payload.data(), payload.size());
  Check(
      MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, kTag, MPI_COMM_WORLD),
      "MPI_Send");
}

std::optional<MpiMessage> ReceiveMessage(int source, std::chrono::microseconds max_sleep,
                                         const std::function<bool()>& give_up) {
  std::chrono::microseconds sleep{20};
  for (int probes = 0;; ++probes) {
    int ready = 0;
    MPI_Status status;
    Check(MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, kTag, MPI_COMM_WORLD, &ready, &status),
          "MPI_Iprobe");
    if (ready) {
      int size = 0;
      Check(MPI_Get_count(&status, MPI_BYTE, &size), "MPI_Get_count");
      std::string bytes(static_cast<std::size_t>(size), '\0');
      Check(MPI_Recv(bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, kTag, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE),
            "MPI_Recv");
      if (bytes.size() < sizeof(MpiHeader)) {
        throw std::runtime_error(
            fmt::format("mpi: rank {} sent a message too short to read", status.MPI_SOURCE));
      }
      MpiMessage message{status.MPI_SOURCE, {}, bytes.substr(sizeof(MpiHeader))};
      std::memcpy(&message.header, bytes.data(), sizeof(MpiHeader));
      return message;
    }
    if (give_up()) return std::nullopt;
    if (probes < kSpinProbes) continue;
    std::this_thread::sleep_for(sleep);
    sleep = std::min(max_sleep, sleep * 2);
  }
}

std::int64_t ToRankZeroClock(const MpiWorld& world, int rank, std::int64_t ns) {
  if (rank <= 0 || static_cast<std::size_t>(rank) >= world.ranks.size()) return ns;
  return ns - world.ranks[static_cast<std::size_t>(rank)].clock_offset_ns;
}

}  // namespace concbench
