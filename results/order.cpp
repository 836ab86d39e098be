#include "results/order.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

#include "util/json_text.hpp"

namespace concbench {

ResultOrder ParseResultOrder(std::string_view word) {
  if (word == "name") return ResultOrder::kName;
  if (word == "median") return ResultOrder::kMedian;
  return ResultOrder::kAuto;
}

std::vector<Result> Ordered(const std::vector<Result>& results, ResultOrder order) {
  if (order == ResultOrder::kAuto) return results;
  // Each result's point, numbered by its first appearance.
  std::map<std::string, std::size_t> points;
  std::vector<std::size_t> point_of;
  for (const Result& r : results) {
    std::string key = r.run + '\n' + r.workload + '\n' + DumpJson(r.sweep);
    point_of.push_back(points.emplace(key, points.size()).first->second);
  }
  std::vector<std::size_t> indices(results.size());
  std::iota(indices.begin(), indices.end(), 0);
  std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
    if (point_of[a] != point_of[b]) return point_of[a] < point_of[b];
    if (order == ResultOrder::kName) return results[a].engine < results[b].engine;
    return results[a].wall.median < results[b].wall.median;
  });
  std::vector<Result> ordered;
  ordered.reserve(results.size());
  for (std::size_t i : indices) ordered.push_back(results[i]);
  return ordered;
}

}  // namespace concbench
