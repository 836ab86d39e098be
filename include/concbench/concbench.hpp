// Everything a program needs to measure workloads of its own with concbench: the Workload
// contract and its helpers, the workload table and its registration, and the command line.
#pragma once

#include "concbench/main.hpp"
#include "concbench/params.hpp"
#include "concbench/registration.hpp"
#include "concbench/task_graph.hpp"
#include "concbench/task_record.hpp"
#include "concbench/workload.hpp"
#include "concbench/workload_registry.hpp"
