#include "core/shard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "concbench/params.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

// The harness's own nominal cost of a run and of a task, for the estimate.
constexpr double kRunSeconds = 1e-3;
constexpr double kTaskSeconds = 20e-6;

// `text` as a whole number, or nullopt.
std::optional<std::size_t> WholeNumber(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// FNV-1a, 64 bits.
class Fnv {
 public:
  void Add(std::string_view text) {
    for (char c : text) hash_ = (hash_ ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    hash_ = (hash_ ^ 0xffu) * 1099511628211ull;  // a separator: "ab","c" differs from "a","bc"
  }
  std::string Hex() const { return fmt::format("{:016x}", hash_); }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
};

}  // namespace

std::optional<ShardSpec> ParseShard(std::string_view text, std::string* error) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    *error = fmt::format("'{}' is not K/N (e.g. 1/3, the first of three shards)", text);
    return std::nullopt;
  }
  std::optional<std::size_t> index = WholeNumber(text.substr(0, slash));
  std::optional<std::size_t> count = WholeNumber(text.substr(slash + 1));
  if (!index || !count) {
    *error = fmt::format("'{}': K and N must be whole numbers, as in 1/3", text);
    return std::nullopt;
  }
  if (*count < 1 || *count > kMaxShards) {
    *error = fmt::format("'{}': N must be from 1 to {}", text, kMaxShards);
    return std::nullopt;
  }
  if (*index < 1 || *index > *count) {
    *error = fmt::format("'{}': K must be from 1 to N ({})", text, *count);
    return std::nullopt;
  }
  return ShardSpec{*index, *count};
}

double EstimatedSeconds(const Point& point, const RunSpec& spec) {
  const Workload& workload = *point.workload;
  std::vector<TaskRecord> records(workload.task_count());
  for (TaskRecord& record : records) {
    record.status = TaskStatus::kOk;
    record.cpu_seconds = 0.0;  // unknown before it ran; a floor made of it counts nothing
  }
  nlohmann::json limits = point.engine->parameters();
  unsigned lanes = point.engine->lanes(workload);
  bool workers_given = spec.values.contains("workers") ||
                       std::any_of(spec.sweeps.begin(), spec.sweeps.end(),
                                   [](const Sweep& sweep) { return sweep.name == "workers"; });
  if (!workers_given && limits.contains("workers") && limits["workers"] == lanes) {
    lanes = kEstimateCores;  // the machine's default
  }
  double run = workload.ideal_seconds(records, lanes, kEstimateCores) + kRunSeconds +
               kTaskSeconds * static_cast<double>(records.size());
  std::string why;
  if (limits.contains("timeout") && limits["timeout"].is_string()) {
    if (auto timeout = ParseDuration(limits["timeout"].get<std::string>(), &why)) {
      run = std::min(run, std::chrono::duration<double>(*timeout).count() + kRunSeconds);
    }
  }
  return run * (spec.policy.warmup + spec.policy.RunsFor(run));
}

std::vector<std::vector<std::size_t>> AssignShards(const std::vector<double>& costs,
                                                   std::size_t count) {
  std::vector<std::size_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<std::vector<std::size_t>> shards(count);
  std::vector<double> loads(count, 0.0);
  for (std::size_t item : order) {
    std::size_t least = static_cast<std::size_t>(std::min_element(loads.begin(), loads.end()) -
                                                 loads.begin());  // the first of equals
    shards[least].push_back(item);
    loads[least] += costs[item];
  }
  for (auto& shard : shards) std::sort(shard.begin(), shard.end());
  return shards;
}

std::string PointId(const std::string& run, const std::string& label) {
  return run.empty() ? label : run + ": " + label;
}

std::string ResultPointId(const Result& result) {
  std::map<std::string, std::string> swept;
  for (const auto& [name, value] : result.sweep.items()) {
    swept[name] = value.is_string() ? value.get<std::string>() : DumpJson(value);
  }
  return PointId(result.run, PointLabel(result.workload, result.engine, swept));
}

std::string ContentHash(std::string_view text) {
  Fnv hash;
  hash.Add(text);
  return hash.Hex();
}

std::string PlanHash(std::string_view suite_text, double time_scale,
                     const std::vector<RunSpec>& specs, const std::vector<Point>& points) {
  Fnv hash;
  hash.Add(suite_text);
  hash.Add(fmt::format("{}", time_scale));
  for (const RunSpec& spec : specs) {
    for (const auto& [name, value] : spec.values) hash.Add(name + "=" + value);
  }
  for (const Point& point : points) hash.Add(PointId(specs.at(point.spec).name, point.label));
  return hash.Hex();
}

Shard TakeShard(const std::vector<Point>& points, const std::vector<RunSpec>& specs,
                ShardSpec spec) {
  // The engines of one run's sweep value share their workload: they stay together.
  std::map<std::pair<std::size_t, const Workload*>, std::size_t> group_of;
  std::vector<std::vector<std::size_t>> groups;
  std::vector<double> costs;
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto [at, fresh] =
        group_of.try_emplace({points[i].spec, points[i].workload.get()}, groups.size());
    if (fresh) {
      groups.emplace_back();
      costs.push_back(0);
    }
    groups[at->second].push_back(i);
    costs[at->second] += EstimatedSeconds(points[i], specs.at(points[i].spec));
  }
  Shard shard;
  shard.spec = spec;
  std::vector<std::vector<std::size_t>> shards = AssignShards(costs, spec.count);
  for (const std::vector<std::size_t>& items : shards) {
    double total = 0;
    for (std::size_t item : items) total += costs[item];
    shard.all_estimated_seconds.push_back(total);
  }
  for (std::size_t group : shards.at(spec.index - 1)) {
    shard.points.insert(shard.points.end(), groups[group].begin(), groups[group].end());
  }
  std::sort(shard.points.begin(), shard.points.end());
  shard.estimated_seconds = shard.all_estimated_seconds.at(spec.index - 1);
  return shard;
}

std::vector<RunSpec> ClaimsOfPoints(const std::vector<RunSpec>& specs,
                                    const std::vector<Point>& points) {
  std::vector<RunSpec> claims = specs;
  for (std::size_t i = 0; i < claims.size(); ++i) {
    std::erase_if(claims[i].expect, [&](const Expectation& e) {
      return std::none_of(points.begin(), points.end(), [&](const Point& point) {
        return point.spec == i && (e.engine.empty() || point.engine->name() == e.engine);
      });
    });
  }
  return claims;
}

nlohmann::json ShardToJson(const Shard& shard, const std::vector<Point>& points,
                           const std::vector<RunSpec>& specs, const ShardOrigin& origin) {
  auto or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
  };
  nlohmann::json ids = nlohmann::json::array();
  for (const Point& point : points) ids.push_back(PointId(specs.at(point.spec).name, point.label));
  return {{"index", shard.spec.index},
          {"count", shard.spec.count},
          {"points", ids},
          {"plan_indices", shard.points},
          {"total_points", origin.total_points},
          {"estimated_seconds", shard.estimated_seconds},
          {"plan_hash", origin.plan_hash},
          {"suite", or_null(origin.suite_path)},
          {"suite_hash", or_null(origin.suite_hash)}};
}

std::string ShardBlockProblem(const nlohmann::json& shard) {
  if (!shard.is_object()) return "not an object";
  for (const char* key : {"index", "count", "total_points"}) {
    if (!shard.contains(key) || !shard[key].is_number_unsigned()) {
      return fmt::format("{}: missing or not a whole number", key);
    }
  }
  std::size_t index = shard["index"], count = shard["count"];
  if (index < 1 || index > count) return fmt::format("index {} is not from 1 to {}", index, count);
  if (!shard.contains("plan_hash") || !shard["plan_hash"].is_string()) {
    return "plan_hash: missing or not a string";
  }
  for (const char* key : {"points", "plan_indices"}) {
    if (!shard.contains(key) || !shard[key].is_array()) return fmt::format("{}: not a list", key);
  }
  if (shard["points"].size() != shard["plan_indices"].size()) {
    return "points and plan_indices differ in length";
  }
  for (const nlohmann::json& id : shard["points"]) {
    if (!id.is_string()) return "points: not a list of strings";
  }
  std::size_t total = shard["total_points"];
  if (shard["points"].size() > total) {
    return fmt::format("total_points {} is fewer than its {} points", total,
                       shard["points"].size());
  }
  std::set<std::size_t> seen;
  for (const nlohmann::json& at : shard["plan_indices"]) {
    if (!at.is_number_unsigned()) return "plan_indices: not a list of whole numbers";
    std::size_t i = at;
    if (i >= total) return fmt::format("plan_indices: {} is not below total_points {}", i, total);
    if (!seen.insert(i).second) return fmt::format("plan_indices: {} is there twice", i);
  }
  return "";
}

std::string ShardSetProblem(const std::vector<ShardFile>& files, bool allow_different_plans,
                            bool allow_overlap) {
  const ShardFile* first = nullptr;
  std::map<std::string, const ShardFile*> by_shard;  // plan_hash, count and index
  std::map<std::string, const ShardFile*> by_point;  // plan_hash and plan index
  for (const ShardFile& file : files) {
    const nlohmann::json& shard = *file.shard;
    if (first == nullptr) first = &file;
    const nlohmann::json& base = *first->shard;
    std::string plan = shard["plan_hash"];
    if (!allow_different_plans) {
      std::string why;
      if (shard["plan_hash"] != base["plan_hash"]) {
        why = fmt::format("are shards of different suites or plans (plan_hash {} and {})",
                          DumpJson(base["plan_hash"]), DumpJson(shard["plan_hash"]));
      } else if (shard["count"] != base["count"]) {
        why = fmt::format("slice the plan into different numbers of shards ({} and {})",
                          DumpJson(base["count"]), DumpJson(shard["count"]));
      } else if (shard["total_points"] != base["total_points"]) {
        why = fmt::format("disagree on the plan's size (total_points {} and {})",
                          DumpJson(base["total_points"]), DumpJson(shard["total_points"]));
      }
      if (!why.empty()) {
        return fmt::format("{} and {} {}; --allow-different-suites merges them anyway", first->path,
                           file.path, why);
      }
    }
    if (allow_overlap) continue;
    std::string id =
        fmt::format("{}/{}/{}", plan, DumpJson(shard["count"]), DumpJson(shard["index"]));
    if (auto [at, fresh] = by_shard.try_emplace(id, &file); !fresh) {
      return fmt::format(
          "{} and {} are both shard {}/{}; --allow-overlap keeps the copy of the file named last",
          at->second->path, file.path, DumpJson(shard["index"]), DumpJson(shard["count"]));
    }
    for (const nlohmann::json& index : shard["plan_indices"]) {
      auto [at, fresh] = by_point.try_emplace(plan + "/" + DumpJson(index), &file);
      if (fresh) continue;
      return fmt::format(
          "{} and {} both claim point {} of the plan; --allow-overlap keeps the "
          "copy of the file named last",
          at->second->path, file.path, DumpJson(index));
    }
  }
  return "";
}

}  // namespace concbench
