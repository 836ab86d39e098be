#include "workloads/primes.hpp"

#include <fmt/format.h>

#include <cmath>

namespace concbench {
namespace {

// The six inputs of the tutorial's ProcessPoolExecutor example (the last is composite).
constexpr const char* kTutorialNumbers =
    "112272535095293,112582705942171,112272535095293,115280095190773,115797848077099,"
    "1099726899285419";

std::uint64_t IntegerSqrt(std::uint64_t n) {
  auto root = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (root * root > n) --root;
  while (root < 0xFFFFFFFFull && (root + 1) * (root + 1) <= n) ++root;
  return root;
}

__extension__ using UInt128 = unsigned __int128;

std::uint64_t MulMod(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  return static_cast<std::uint64_t>(static_cast<UInt128>(a) * b % m);
}

std::uint64_t PowMod(std::uint64_t base, std::uint64_t exp, std::uint64_t m) {
  std::uint64_t result = 1;
  base %= m;
  for (; exp > 0; exp >>= 1) {
    if (exp & 1) result = MulMod(result, base, m);
    base = MulMod(base, base, m);
  }
  return result;
}

std::string Answer(bool prime) { return prime ? "prime" : "composite"; }

class PrimesWorkload : public Workload {
 public:
  PrimesWorkload(std::vector<std::uint64_t> numbers, nlohmann::json params)
      : numbers_(std::move(numbers)), params_(std::move(params)) {}

  std::string_view name() const override { return "primes"; }
  TaskKind kind() const override { return TaskKind::kCompute; }
  bool wants_task_cpu() const override { return true; }  // the floor is the tasks' CPU time
  std::size_t task_count() const override { return numbers_.size(); }

  std::string run_blocking(std::size_t index, std::stop_token stop) const override {
    return Answer(IsPrimeTrialDivision(numbers_[index], stop));
  }

  std::string check(std::size_t index, const TaskRecord& record) const override {
    std::string expected = Answer(IsPrimeMillerRabin(numbers_[index]));
    if (record.result == expected) return "";
    return fmt::format("task {}: {} answered '{}', Miller-Rabin says '{}'", index, numbers_[index],
                       record.result, expected);
  }

  double ideal_seconds(std::span<const TaskRecord> records, unsigned lanes,
                       unsigned cores) const override {
    return CompletedFloorSeconds(records, std::min(lanes, cores),
                                 [&](std::size_t i) { return records[i].cpu_seconds.value_or(0); });
  }

  nlohmann::json parameters() const override { return params_; }
  nlohmann::json python_form() const override { return {{"form", "primes"}, {"tasks", numbers_}}; }

 private:
  std::vector<std::uint64_t> numbers_;
  nlohmann::json params_;
};

}  // namespace

bool IsPrimeTrialDivision(std::uint64_t n, const std::stop_token& stop) {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  std::uint64_t limit = IntegerSqrt(n);
  std::uint64_t next_check = 3 + 8192;
  for (std::uint64_t d = 3; d <= limit; d += 2) {
    if (n % d == 0) return false;
    if (d >= next_check) {
      if (stop.stop_requested()) throw TaskCancelled();
      next_check = d + 8192;
    }
  }
  return true;
}

bool IsPrimeMillerRabin(std::uint64_t n) {
  if (n < 2) return false;
  // These bases decide every n < 3.3e24, so all 64-bit n.
  constexpr std::uint64_t kBases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (std::uint64_t p : kBases) {
    if (n % p == 0) return n == p;
  }
  std::uint64_t d = n - 1;
  int shifts = 0;
  for (; d % 2 == 0; d /= 2) ++shifts;
  for (std::uint64_t a : kBases) {
    std::uint64_t x = PowMod(a, d, n);
    if (x == 1 || x == n - 1) continue;
    bool witness = true;
    for (int r = 1; r < shifts && witness; ++r) {
      x = MulMod(x, x, n);
      if (x == n - 1) witness = false;
    }
    if (witness) return false;
  }
  return true;
}

std::vector<ParamSpec> PrimesParams() {
  return {
      {"numbers", ParamType::kUInt64List, kTutorialNumbers,
       "inputs to test, comma-separated (default: the tutorial's six)"},
      {"count", ParamType::kCount, "", "instead of --numbers: this many primes at or above --min"},
      {"min", ParamType::kUInt64, "100000000000000", "with --count: the smallest input"},
  };
}

std::unique_ptr<Workload> MakePrimesWorkload(const Params& params) {
  if (params.has("count")) {
    if (params.given("numbers")) throw ParamError("--count: give either --numbers or --count");
    std::uint64_t count = params.count("count");
    if (count > 1'000'000) throw ParamError("--count: at most 1000000");
    std::uint64_t min = params.uint64("min");
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t n = min; numbers.size() < count; ++n) {
      if (n == UINT64_MAX) throw ParamError("--min: too few primes above it");
      if (IsPrimeMillerRabin(n)) numbers.push_back(n);
    }
    return std::make_unique<PrimesWorkload>(
        std::move(numbers), nlohmann::json{{"tasks", count}, {"count", count}, {"min", min}});
  }
  if (params.given("min")) throw ParamError("--min: only applies with --count");
  std::vector<std::uint64_t> numbers = params.uint64_list("numbers");
  return std::make_unique<PrimesWorkload>(
      numbers, nlohmann::json{{"tasks", numbers.size()}, {"numbers", numbers}});
}

}  // namespace concbench
