// exec's options read into its configuration: point steps, --show-output, accepted statuses.
#include "workloads/exec_config.hpp"

#include <gtest/gtest.h>

#include <map>

#include "workloads/exec.hpp"

namespace concbench {
namespace {

Params ExecParamsWith(const std::map<std::string, std::string>& given) {
  Params params;
  for (const ParamSpec& spec : ExecParams()) {
    if (!spec.default_value.empty()) params.set(spec.name, spec.default_value, false);
  }
  for (const auto& [name, value] : given) params.set(name, value);
  return params;
}

std::string ReadError(const std::map<std::string, std::string>& given) {
  try {
    ReadExecConfig(ExecParamsWith(given));
  } catch (const ParamError& e) {
    return e.what();
  }
  return "";
}

TEST(ExecConfig, PointStepsExpandTheirPlaceholdersAndAreRecorded) {
  ExecConfig config = ReadExecConfig(ExecParamsWith({{"cmd", "true"},
                                                     {"tasks", "3"},
                                                     {"var", "size=7"},
                                                     {"setup", "mk {size}"},
                                                     {"prepare", "p {n}"},
                                                     {"cleanup", "rm {size}"}}));
  EXPECT_EQ(config.steps[static_cast<std::size_t>(PointStep::kSetup)], "mk 7");
  EXPECT_EQ(config.steps[static_cast<std::size_t>(PointStep::kPrepare)], "p 3");
  EXPECT_EQ(config.steps[static_cast<std::size_t>(PointStep::kConclude)], "");
  EXPECT_EQ(config.steps[static_cast<std::size_t>(PointStep::kCleanup)], "rm 7");
  EXPECT_EQ(config.parameters["setup"], "mk {size}");
  EXPECT_EQ(config.parameters["prepare"], "p {n}");
  EXPECT_FALSE(config.parameters.contains("conclude"));
  EXPECT_EQ(config.parameters["var"], (nlohmann::json{{"size", "7"}}));  // {n} is not a --var
  EXPECT_EQ(config.parameters["expect-exit"], 0);
  EXPECT_FALSE(config.parameters.contains("show-output"));  // results named as before
}

TEST(ExecConfig, AStepWithAnUnknownPlaceholderNamesItsOption) {
  EXPECT_NE(ReadError({{"cmd", "true"}, {"prepare", "echo {i}"}}).find("--prepare: "),
            std::string::npos);
  EXPECT_NE(ReadError({{"cmd", "true"}, {"conclude", "echo {nope}"}}).find("--conclude: "),
            std::string::npos);
}

TEST(ExecConfig, ShowOutputConflictsWithKeepingOrCheckingTheOutput) {
  ExecConfig config = ReadExecConfig(ExecParamsWith({{"cmd", "true"}, {"show-output", "true"}}));
  EXPECT_TRUE(config.show_output);
  EXPECT_EQ(config.parameters["show-output"], true);
  std::string error = ReadError(
      {{"cmd", "true"}, {"tasks", "1"}, {"show-output", "true"}, {"output", "/tmp/x{i}"}});
  EXPECT_NE(error.find("--show-output: conflicts with --output"), std::string::npos) << error;
  error = ReadError({{"cmd", "true"}, {"show-output", "true"}, {"expect-output", "x"}});
  EXPECT_NE(error.find("--show-output: conflicts with --expect-output"), std::string::npos)
      << error;
}

TEST(ExecConfig, ExpectExitTakesAListOrAnyAndIgnoreFailureMeansAny) {
  ExecConfig config = ReadExecConfig(ExecParamsWith({{"cmd", "true"}, {"expect-exit", "3,0"}}));
  EXPECT_EQ(config.expect_exit.accepted, (std::vector<int>{0, 3}));
  EXPECT_EQ(config.parameters["expect-exit"], "0,3");
  config = ReadExecConfig(ExecParamsWith({{"cmd", "true"}, {"ignore-failure", "true"}}));
  EXPECT_TRUE(config.expect_exit.any);
  EXPECT_EQ(config.parameters["expect-exit"], "any");
  config = ReadExecConfig(
      ExecParamsWith({{"cmd", "true"}, {"ignore-failure", "true"}, {"expect-exit", "any"}}));
  EXPECT_TRUE(config.expect_exit.any);
  std::string error =
      ReadError({{"cmd", "true"}, {"ignore-failure", "true"}, {"expect-exit", "0,1"}});
  EXPECT_NE(error.find("--ignore-failure: conflicts with --expect-exit 0,1"), std::string::npos)
      << error;
  error = ReadError({{"cmd", "true"}, {"expect-exit", "256"}});
  EXPECT_NE(error.find("--expect-exit: '256' is not an exit status"), std::string::npos) << error;
}

}  // namespace
}  // namespace concbench
