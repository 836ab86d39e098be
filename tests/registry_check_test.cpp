// Parameters of one name must agree on their type, whoever declared them.
#include "core/registry_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace concbench {
namespace {

TEST(RegistryCheck, TheRegistriesAgree) {
  EXPECT_EQ(ParamClashes(WorkloadRegistry(), EngineRegistry()), std::vector<std::string>{});
}

TEST(RegistryCheck, AClashWithAnEngineParameterNamesBothOwners) {
  std::vector<WorkloadInfo> workloads = {
      {"crawl", "", {{"workers", ParamType::kDuration, "1s", ""}}, nullptr}};
  std::vector<std::string> clashes = ParamClashes(workloads, EngineRegistry());
  ASSERT_FALSE(clashes.empty());
  EXPECT_EQ(clashes[0],
            "--workers: the parameter of the pool engine has another type (or other choices) than "
            "that of the crawl workload, and one option cannot take both");
}

TEST(RegistryCheck, ChoicesMustAgreeToo) {
  std::vector<WorkloadInfo> workloads = {
      {"a", "", {{"mode", ParamType::kChoice, "x", "", {"x", "y"}}}, nullptr},
      {"b", "", {{"mode", ParamType::kChoice, "x", "", {"x", "y"}}}, nullptr},
      {"c", "", {{"mode", ParamType::kChoice, "x", "", {"x"}}}, nullptr}};
  EXPECT_EQ(ParamClashes(workloads, {}),
            std::vector<std::string>{
                "--mode: the parameter of the c workload has another type (or other choices) "
                "than that of the a workload, and one option cannot take both"});
}

}  // namespace
}  // namespace concbench
