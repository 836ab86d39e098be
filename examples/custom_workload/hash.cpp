// `hash`: a computing workload. Each task hashes --bytes of its own data (a pseudo-random stream
// seeded by the task's index) with 64-bit FNV-1a, a 64 KiB block at a time, checking for a stop
// request between blocks.
#include <algorithm>
#include <array>
#include <charconv>
#include <concbench/concbench.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325;
constexpr std::uint64_t kFnvPrime = 0x100000001b3;

constexpr std::uint64_t Fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return hash;
}
// The published test vectors: the hash itself is right, whatever the tasks make of it.
static_assert(Fnv1a(kFnvOffset, "") == 0xcbf29ce484222325);
static_assert(Fnv1a(kFnvOffset, "a") == 0xaf63dc4c8601ec8c);
static_assert(Fnv1a(kFnvOffset, "foobar") == 0x85944171f73967e8);

// Task i's data: the bytes of xorshift64* words, from a state seeded by i.
class Stream {
 public:
  explicit Stream(std::size_t index) : state_((0x9e3779b97f4a7c15 * (index + 1)) | 1) {}
  std::uint8_t Next() {
    if (left_ == 0) {
      state_ ^= state_ >> 12;
      state_ ^= state_ << 25;
      state_ ^= state_ >> 27;
      word_ = state_ * 0x2545f4914f6cdd1d;
      left_ = 8;
    }
    --left_;
    auto byte = static_cast<std::uint8_t>(word_);
    word_ >>= 8;
    return byte;
  }

 private:
  std::uint64_t state_;
  std::uint64_t word_ = 0;
  int left_ = 0;
};

std::string Hex(std::uint64_t value) {
  std::array<char, 16> digits{};
  auto [end, error] = std::to_chars(digits.data(), digits.data() + digits.size(), value, 16);
  return {digits.data(), end};
}

class HashWorkload : public concbench::Workload {
 public:
  static std::vector<concbench::ParamSpec> ParamSpecs() {
    using concbench::ParamType;
    return {
        {"tasks", ParamType::kCount, "8", "number of tasks"},
        {"bytes", ParamType::kBytes, "1MiB", "hash: the data each task hashes"},
    };
  }

  explicit HashWorkload(const concbench::Params& params)
      : tasks_(params.count("tasks")), bytes_(params.bytes("bytes")) {}

  std::string_view name() const override { return "hash"; }
  concbench::TaskKind kind() const override { return concbench::TaskKind::kCompute; }
  // The floor below is made of each task's measured CPU time.
  bool wants_task_cpu() const override { return true; }
  std::size_t task_count() const override { return tasks_; }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    constexpr std::uint64_t kBlock = 64 * 1024;
    std::vector<char> block(kBlock);
    Stream stream(index);
    std::uint64_t hash = kFnvOffset;
    for (std::uint64_t done = 0; done < bytes_; done += kBlock) {
      if (stop.stop_requested()) throw concbench::TaskCancelled();
      auto size = static_cast<std::size_t>(std::min(kBlock, bytes_ - done));
      for (std::size_t i = 0; i < size; ++i) block[i] = static_cast<char>(stream.Next());
      hash = Fnv1a(hash, std::string_view(block.data(), size));
    }
    return Hex(hash);
  }

  // Hashes the task's data again, a byte at a time without the blocks (after the run, untimed):
  // the answer is this task's, over all of its bytes.
  std::string check(std::size_t index, const concbench::TaskRecord& record) const override {
    Stream stream(index);
    std::uint64_t hash = kFnvOffset;
    for (std::uint64_t i = 0; i < bytes_; ++i) hash = (hash ^ stream.Next()) * kFnvPrime;
    return record.result == Hex(hash) ? "" : "hash " + record.result + ", expected " + Hex(hash);
  }

  // CPU work runs in parallel on at most as many lanes as there are cores: max(the longest
  // task, all the tasks' CPU time / min(lanes, cores)), each completed task's CPU time as
  // measured.
  double ideal_seconds(std::span<const concbench::TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    return concbench::CompletedFloorSeconds(records, std::min(lanes, cores), [&](std::size_t i) {
      return records[i].cpu_seconds.value_or(0);
    });
  }

  nlohmann::json parameters() const override { return {{"tasks", tasks_}, {"bytes", bytes_}}; }

 private:
  std::uint64_t tasks_;
  std::uint64_t bytes_;
};

}  // namespace

CONCBENCH_WORKLOAD(HashWorkload, "hash", "computing: each task hashes --bytes of data (FNV-1a)");
