#include "core/merge.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <set>

#include "core/claims.hpp"
#include "core/json_reader.hpp"
#include "core/shard.hpp"
#include "core/suite.hpp"
#include "results/json.hpp"
#include "results/labels.hpp"
#include "results/results_file.hpp"
#include "util/json_text.hpp"

namespace concbench {
namespace {

// One results file, read.
struct Input {
  std::string path;
  nlohmann::json document;
  std::vector<Result> results;  // each with its context
  nlohmann::json shard;         // the "shard" block; null for a whole run
};

std::optional<Input> ReadInput(const std::string& path, std::string* error) {
  std::optional<std::string> text = ReadTextFile(path, error);
  if (!text) return std::nullopt;
  std::optional<nlohmann::json> document = ParseJsonText(*text, path, error);
  if (!document) return std::nullopt;
  std::string why;
  std::optional<std::vector<Result>> results = WholeResultsFromJson(*document, &why);
  if (!results) {
    *error = fmt::format("{}: {}", path, why);
    return std::nullopt;
  }
  Input input{path, std::move(*document), std::move(*results), nullptr};
  if (!input.document.contains("context") || !input.document["context"].is_object()) {
    *error =
        fmt::format("{}: context: missing (the machine and build its results come from)", path);
    return std::nullopt;
  }
  if (input.document.contains("shard")) {
    input.shard = input.document["shard"];
    std::string problem = ShardBlockProblem(input.shard);
    if (problem.empty() && input.results.size() > input.shard["points"].size()) {
      problem = fmt::format("it holds {} results, more than its {} points", input.results.size(),
                            input.shard["points"].size());
    }
    if (!problem.empty()) {
      *error = fmt::format("{}: shard: {}", path, problem);
      return std::nullopt;
    }
  }
  Context context = ContextFromJson(input.document.value("context", nlohmann::json::object()));
  for (Result& result : input.results) {
    if (!result.context) result.context = context;
  }
  return input;
}

// What tells one build from another in a context.
std::string BuildOf(const Context& context) {
  return fmt::format("concbench {} ({}), {}, {}", context.version,
                     context.git_commit.empty() ? "commit unknown" : context.git_commit,
                     context.compiler, context.build_type);
}

// "" when every input comes from the first one's build, else which do not and why.
std::string BuildProblem(const std::vector<Input>& inputs) {
  Context first = ContextFromJson(inputs[0].document.value("context", nlohmann::json::object()));
  for (const Input& input : inputs) {
    Context other = ContextFromJson(input.document.value("context", nlohmann::json::object()));
    if (BuildOf(other) != BuildOf(first)) {
      return fmt::format(
          "{} and {} come from different builds ({} and {}); --allow-different-builds merges "
          "them anyway",
          inputs[0].path, input.path, BuildOf(first), BuildOf(other));
    }
  }
  return "";
}

// "" when the shards among `inputs` belong together (see ShardSetProblem), else why not.
std::string PlanProblem(const std::vector<Input>& inputs, const MergeOptions& options) {
  std::vector<ShardFile> shards;
  for (const Input& input : inputs) {
    if (!input.shard.is_null()) shards.push_back({input.path, &input.shard});
  }
  return ShardSetProblem(shards, options.allow_different_suites, options.allow_overlap);
}

// A result put in place, with where it comes from.
struct Placed {
  std::size_t order;  // the point's index in the plan, else after every known one
  std::size_t file;
  Result result;
};

// Every result of `inputs`, a point measured twice kept once (the last file's); *error, when
// that is not allowed, names both files and the point.
std::optional<std::vector<Placed>> Place(std::vector<Input>& inputs, bool allow_overlap,
                                         std::string* error) {
  std::map<std::string, Placed> by_id;         // by command, and its occurrence within its file
  std::size_t unknown = std::size_t{1} << 40;  // after every plan index
  for (std::size_t f = 0; f < inputs.size(); ++f) {
    std::map<std::string, std::deque<std::size_t>> plan_index;  // unnamed runs may share an id
    if (!inputs[f].shard.is_null()) {
      for (std::size_t i = 0; i < inputs[f].shard["points"].size(); ++i) {
        plan_index[inputs[f].shard["points"][i].get<std::string>()].push_back(
            inputs[f].shard["plan_indices"][i].get<std::size_t>());
      }
    }
    std::map<std::string, int> occurrences;
    for (Result& result : inputs[f].results) {
      std::deque<std::size_t>& known = plan_index[ResultPointId(result)];
      std::size_t order = known.empty() ? unknown++ : known.front();
      if (!known.empty()) known.pop_front();
      std::string command = CommandName(result);
      std::string key = fmt::format("{}\n{}", command, occurrences[command]++);
      Placed placed{order, f, std::move(result)};
      auto [at, fresh] = by_id.try_emplace(key, placed);
      if (fresh) continue;
      if (!allow_overlap) {
        *error = fmt::format(
            "{} and {} both hold '{}'; --allow-overlap keeps the copy of the file named last",
            inputs[at->second.file].path, inputs[f].path, command);
        return std::nullopt;
      }
      placed.order = std::min(placed.order, at->second.order);
      at->second = std::move(placed);
    }
  }
  std::vector<Placed> placed;
  for (auto& [id, entry] : by_id) placed.push_back(std::move(entry));
  std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return a.order != b.order ? a.order < b.order : a.file < b.file;
  });
  return placed;
}

// Warnings for shards of a set that are not among `inputs`, and shards' points without a result.
std::vector<std::string> MissingWarnings(const std::vector<Input>& inputs) {
  std::vector<std::string> warnings;
  std::map<std::string, std::set<std::size_t>> seen;  // plan_hash/count -> indices
  std::map<std::string, std::size_t> counts;
  for (const Input& input : inputs) {
    if (input.shard.is_null()) continue;
    std::string set =
        input.shard["plan_hash"].get<std::string>() + "/" + DumpJson(input.shard["count"]);
    seen[set].insert(input.shard["index"].get<std::size_t>());
    counts[set] = input.shard["count"].get<std::size_t>();
    std::size_t declared = input.shard["points"].size();
    if (input.results.size() < declared) {
      warnings.push_back(fmt::format("{}: {} of its {} points have no result (an interrupted run?)",
                                     input.path, declared - input.results.size(), declared));
    }
  }
  for (const auto& [set, indices] : seen) {
    for (std::size_t k = 1; k <= counts[set]; ++k) {
      if (!indices.contains(k)) {
        warnings.push_back(
            fmt::format("shard {}/{} is missing: its points are not merged", k, counts[set]));
      }
    }
  }
  return warnings;
}

// The text at `key` of `object`, or "".
std::string TextAt(const nlohmann::json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string()
             ? object[key].get<std::string>()
             : "";
}

// The outcomes each input's file holds, one after the other.
std::vector<ExpectationOutcome> OutcomesOf(const std::vector<Input>& inputs) {
  std::vector<ExpectationOutcome> outcomes;
  for (const Input& input : inputs) {
    const nlohmann::json& list = input.document.value("expectations", nlohmann::json::array());
    if (!list.is_array()) continue;
    for (const nlohmann::json& o : list) {
      if (!o.is_object()) continue;
      outcomes.push_back({TextAt(o, "run"), TextAt(o, "engine"), TextAt(o, "claim"),
                          TextAt(o, "metric"), TextAt(o, "expected"), TextAt(o, "measured"),
                          o.value("passed", nlohmann::json(false)) == true});
    }
  }
  return outcomes;
}

// The suite block of the merged file, its claims checked again over every result when the suite
// file the shards name is there and unchanged, else as the shards checked them.
void CheckClaims(const std::vector<Input>& inputs, MergedResults& merged) {
  const nlohmann::json& suite = inputs[0].document.value("suite", nlohmann::json());
  if (!suite.is_object()) return;
  std::string file = TextAt(suite, "file");
  nlohmann::json scale_value = suite.value("time_scale", nlohmann::json(1.0));
  double scale = scale_value.is_number() ? scale_value.get<double>() : 1.0;
  std::string hash;
  for (const Input& input : inputs) {
    if (hash.empty()) hash = TextAt(input.shard, "suite_hash");
  }
  std::string why;
  std::optional<std::string> text;
  if (!file.empty() && !hash.empty()) text = ReadTextFile(file, &why);
  std::optional<Suite> loaded;
  if (text && ContentHash(*text) == hash) loaded = ParseSuite(*text, file, scale, {}, &why);
  if (loaded) {
    AcceptClaimedNothingCompleted(loaded->runs, merged.results);
    merged.outcomes = CheckExpectations(loaded->runs, merged.results);
    merged.claims_rechecked = true;
  } else {
    merged.outcomes = OutcomesOf(inputs);
  }
  merged.extra = SuiteToJson(file, TextAt(suite, "description"), scale, merged.outcomes);
}

// The "merged" block: each file, its shard and how many results it gave.
nlohmann::json MergedBlock(const std::vector<Input>& inputs, const MergedResults& merged) {
  nlohmann::json files = nlohmann::json::array();
  for (const Input& input : inputs) {
    nlohmann::json shard;
    if (!input.shard.is_null()) {
      shard = {{"index", input.shard["index"]}, {"count", input.shard["count"]}};
    }
    files.push_back({{"file", input.path},
                     {"shard", shard},
                     {"host", TextAt(input.document.value("context", nlohmann::json()), "host")}});
  }
  return {{"files", files},
          {"claims", merged.claims_rechecked ? "checked again over the merged results"
                                             : "as each file checked them"},
          {"warnings", merged.warnings}};
}

}  // namespace

std::optional<MergedResults> MergeResultsFiles(const std::vector<std::string>& paths,
                                               const MergeOptions& options, std::string* error) {
  std::vector<Input> inputs;
  for (const std::string& path : paths) {
    std::optional<Input> input = ReadInput(path, error);
    if (!input) return std::nullopt;
    inputs.push_back(std::move(*input));
  }
  if (inputs.empty()) {
    *error = "no results files to merge";
    return std::nullopt;
  }
  std::string problem;
  if (!options.allow_different_builds) problem = BuildProblem(inputs);
  if (problem.empty()) problem = PlanProblem(inputs, options);
  if (!problem.empty()) {
    *error = problem;
    return std::nullopt;
  }
  MergedResults merged;
  merged.context = ContextFromJson(inputs[0].document.value("context", nlohmann::json()));
  merged.warnings = MissingWarnings(inputs);
  std::optional<std::vector<Placed>> placed = Place(inputs, options.allow_overlap, error);
  if (!placed) return std::nullopt;
  for (Placed& entry : *placed) merged.results.push_back(std::move(entry.result));
  CheckClaims(inputs, merged);
  merged.extra["merged"] = MergedBlock(inputs, merged);
  return merged;
}

}  // namespace concbench
