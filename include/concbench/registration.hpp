// Workloads of a program's own, added to the table (workload_registry.hpp) so that every command
// runs them beside the shipped ones: RegisterWorkload, or CONCBENCH_WORKLOAD for a class.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "concbench/params.hpp"
#include "concbench/workload.hpp"
#include "concbench/workload_registry.hpp"

namespace concbench {

// Adds a workload after the shipped ones, for every command: `list`, `run -w NAME` on every
// engine, its parameters as options (shared with any workload or engine parameter of the same
// name and type), suites, exports and `compare`. Like the shipped workloads it gains --fail-rate
// and --seed. `info.name` (lowercase letters, digits, '-' and '_'; not "all") is what the made
// workload's name() returns. Parameter names are lowercase letters, digits and '-', two or more.
// The texts `info` views are copied: they need to live only for the call.
//
// Call it before Main(): at static initialisation (CONCBENCH_WORKLOAD) or at the start of your
// own main. Not thread-safe; references into WorkloadRegistry() are invalidated by it.
// Returns false when the workload cannot be added: its name is malformed or taken, one of its
// parameters is malformed or has a taken name with another type. The reason is kept for
// WorkloadRegistrationErrors(), and Main() prints it and exits with status 2.
bool RegisterWorkload(WorkloadInfo info);

// Why registrations failed, one sentence each, in the order they were attempted.
const std::vector<std::string>& WorkloadRegistrationErrors();

// What CONCBENCH_WORKLOAD needs of a class: a Workload made from its parameters' values, which
// it declares. Its constructor throws ParamError naming the option on a bad value.
template <typename W>
concept RegistrableWorkload =
    std::derived_from<W, Workload> && std::constructible_from<W, const Params&> && requires {
  { W::ParamSpecs() } -> std::convertible_to<std::vector<ParamSpec>>;
};

// The table row of workload class `W` (see CONCBENCH_WORKLOAD).
template <RegistrableWorkload W>
WorkloadInfo WorkloadInfoOf(std::string_view name, std::string_view description) {
  return {name, description, W::ParamSpecs(),
          [](const Params& params) -> std::unique_ptr<Workload> {
            return std::make_unique<W>(params);
          }};
}

}  // namespace concbench

// Registers workload class `Class` as `name` with a one-line `description`, at static
// initialisation:
//
//   class Crawl : public concbench::Workload {
//    public:
//     static std::vector<concbench::ParamSpec> ParamSpecs();  // its parameters (may be empty)
//     explicit Crawl(const concbench::Params& params);        // reads them; throws ParamError
//     std::string_view name() const override { return "crawl"; }
//     ...                                                      // the rest of the Workload
//   };
//   CONCBENCH_WORKLOAD(Crawl, "crawl", "fetch N pages");
//
// Write it at namespace scope in a source file of the executable itself: a linker drops an
// object of a static library that nothing references, and its registration with it (call
// RegisterWorkload from main for workloads that live in a library).
#define CONCBENCH_WORKLOAD(Class, name, description) \
  CONCBENCH_WORKLOAD_REGISTER_(Class, name, description, __COUNTER__)
#define CONCBENCH_WORKLOAD_REGISTER_(Class, name, description, counter) \
  CONCBENCH_WORKLOAD_REGISTER2_(Class, name, description, counter)
#define CONCBENCH_WORKLOAD_REGISTER2_(Class, name, description, counter)       \
  [[maybe_unused]] static const bool concbench_workload_registered_##counter = \
      ::concbench::RegisterWorkload(::concbench::WorkloadInfoOf<Class>(name, description))
