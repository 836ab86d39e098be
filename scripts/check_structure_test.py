#!/usr/bin/env python3
"""Tests of scripts/check-structure on small synthetic trees. Run: scripts/check-structure
--self-test, or python3 scripts/check_structure_test.py."""

import importlib.machinery
import importlib.util
import tempfile
import textwrap
import unittest
from pathlib import Path

_loader = importlib.machinery.SourceFileLoader(
    "check_structure", str(Path(__file__).resolve().parent / "check-structure"))
_spec = importlib.util.spec_from_loader("check_structure", _loader)
cs = importlib.util.module_from_spec(_spec)
_loader.exec_module(cs)


def function_of(lines, name="Long", prefix=""):
    """A C++ function `name` whose body spans `lines` lines, braces included."""
    body = "\n".join(f"  x += {k};" for k in range(lines - 2))
    return f"{prefix}int {name}(int x) {{\n{body}\n}}\n"


class Tree:
    def __init__(self, files):
        self.dir = tempfile.TemporaryDirectory()
        self.root = Path(self.dir.name)
        for path, text in files.items():
            (self.root / path).parent.mkdir(parents=True, exist_ok=True)
            (self.root / path).write_text(textwrap.dedent(text))

    def __enter__(self):
        return cs.check(self.root)

    def __exit__(self, *exc):
        self.dir.cleanup()


CLEAN = {
    "util/os.hpp": "#pragma once\n#include <string>\n",
    "workloads/workload.hpp": '#pragma once\n#include "util/os.hpp"\n',
    "engines/engine.hpp": '#pragma once\n#include "workloads/workload.hpp"\n',
    "results/result.hpp": '#pragma once\n#include "util/os.hpp"\n',
    "reports/table.hpp": '#pragma once\n#include "results/result.hpp"\n',
    "reports/registry.hpp": '#pragma once\n#include "reports/table.hpp"\n',
    "core/plan.cpp": '#include "engines/engine.hpp"\n#include "results/result.hpp"\n'
                     '#include "reports/registry.hpp"\n',
    "cli/main.cpp": '#include "core/plan.hpp"\n#include "reports/table.hpp"\n',
    "core/plan.hpp": "#pragma once\n",
    "tests/plan_test.cpp": '#include "core/plan.hpp"\n#include "cli/main.hpp"\n',
}


class IncludeGraph(unittest.TestCase):
    def test_clean_tree_passes(self):
        with Tree(CLEAN) as problems:
            self.assertEqual(problems, [])

    def test_back_arrow_is_named_with_file_and_line(self):
        with Tree({**CLEAN, "workloads/queue.cpp": '#include <vector>\n#include "results/result.hpp"\n'}) \
                as problems:
            self.assertIn('workloads/queue.cpp:2: workloads/ must not include results/: '
                          '#include "results/result.hpp"', problems)
            self.assertEqual(sum("must not include" in p for p in problems), 1)

    def test_engines_to_core_and_core_to_cli_are_caught(self):
        with Tree({**CLEAN, "engines/pool.cpp": '#include "core/plan.hpp"\n',
                   "core/sweep.cpp": '#include "cli/main.hpp"\n', "cli/main.hpp": ""}) \
                as problems:
            self.assertTrue(any(p.startswith("engines/pool.cpp:1: engines/ must not include core/")
                                for p in problems), problems)
            self.assertTrue(any(p.startswith("core/sweep.cpp:1: core/ must not include cli/")
                                for p in problems), problems)

    def test_results_include_no_formatter_and_core_only_the_formatters_table(self):
        with Tree({**CLEAN, "results/json.cpp": '#include "reports/table.hpp"\n',
                   "core/verdict.cpp": '#include "reports/table.hpp"\n'}) as problems:
            self.assertIn('results/json.cpp:1: results/ must not include reports/: '
                          '#include "reports/table.hpp"', problems)
            self.assertIn('core/verdict.cpp:1: core/ must not include reports/: '
                          '#include "reports/table.hpp"', problems)
            self.assertEqual(sum("must not include" in p for p in problems), 2)  # not plan.cpp

    def test_util_includes_nothing_of_the_project(self):
        with Tree({**CLEAN, "util/format.cpp": '#include "results/result.hpp"\n'}) as problems:
            self.assertTrue(any(p.startswith("util/format.cpp:1: util/ must not include results/")
                                for p in problems), problems)

    def test_cycle_of_allowed_arrows_is_caught(self):
        # workloads -> engines is not forbidden by itself; with engines -> workloads it is a cycle.
        with Tree({**CLEAN, "workloads/spin.cpp": '\n#include "engines/engine.hpp"\n'}) as problems:
            self.assertIn("folder cycle between engines/, workloads/:", problems)
            self.assertIn('  workloads/spin.cpp:2: workloads/ -> engines/: '
                          '#include "engines/engine.hpp"', problems)
            self.assertIn('  engines/engine.hpp:2: engines/ -> workloads/: '
                          '#include "workloads/workload.hpp"', problems)

    def test_public_headers_include_only_public_headers(self):
        public = {"include/concbench/params.hpp": "#pragma once\n",
                  "include/concbench/workload.hpp":
                      '#pragma once\n#include <vector>\n#include "concbench/params.hpp"\n',
                  "workloads/sleep.hpp": '#pragma once\n#include "concbench/workload.hpp"\n'}
        with Tree({**CLEAN, **public}) as problems:
            self.assertEqual(problems, [])
        with Tree({**CLEAN, **public, "include/concbench/main.hpp":
                   '#pragma once\n#include "concbench/workload.hpp"\n#include "util/os.hpp"\n'}) \
                as problems:
            self.assertEqual(problems, [
                "Include graph (rule 1 of scripts/check-structure):",
                'include/concbench/main.hpp:3: include/ must not include util/: '
                '#include "util/os.hpp"'])

    def test_examples_include_only_public_headers(self):
        files = {**CLEAN, "include/concbench/workload.hpp": "#pragma once\n",
                 "examples/custom/crawl.hpp": '#pragma once\n#include "concbench/workload.hpp"\n',
                 "examples/custom/crawl.cpp":
                     '#include "crawl.hpp"\n#include "workloads/workload.hpp"\n'}
        with Tree(files) as problems:
            self.assertEqual(problems[1:], [
                'examples/custom/crawl.cpp:2: examples/ must not include workloads/: '
                '#include "workloads/workload.hpp"'])

    def test_includes_relative_to_the_file_and_system_includes_are_no_arrows(self):
        with Tree({**CLEAN, "util/a.cpp": '#include "os.hpp"\n#include <cli/x.hpp>\n'}) as problems:
            self.assertEqual(problems, [])


class Sizes(unittest.TestCase):
    def test_function_over_80_lines_is_caught_and_80_passes(self):
        with Tree({"core/a.cpp": function_of(80, "Fits") + function_of(81, "TooLong")}) \
                as problems:
            self.assertEqual(problems[1:], ["core/a.cpp:81: function TooLong has 81 lines (limit 80)"])

    def test_lambdas_count_toward_their_function(self):
        inner = "\n".join(f"    y += {k};" for k in range(76))
        text = f"void F() {{\n  auto f = [&](int y) {{\n{inner}\n  }};\n  f(1);\n}}\n"
        with Tree({"engines/a.cpp": text}) as problems:
            self.assertEqual(problems[1:], ["engines/a.cpp:1: function F has 81 lines (limit 80)"])

    def test_braces_in_strings_comments_and_characters_do_not_count(self):
        noise = ('  const char* s = "{{{ \\" {";\n  char c = \'{\';\n  // }}}\n  /* { */\n'
                 '  auto r = R"x(}} )" {)x";\n  long n = 1\'000 + \'{\';\n')
        text = "namespace a {\nint F() {\n" + noise + "  return 0;\n}\n" + function_of(81) + "}\n"
        with Tree({"reports/a.cpp": text}) as problems:
            self.assertEqual(problems[1:], ["reports/a.cpp:11: function Long has 81 lines (limit 80)"])

    def test_member_functions_and_constructors_are_measured(self):
        body = "\n".join(f"    x_ += {k};" for k in range(79))
        text = (f"class A : public B {{\n public:\n  A(int x) : x_{{x}} {{\n{body}\n  }}\n"
                f"  int Get() const override {{\n{body}\n  }}\n\n private:\n  int x_{{0}};\n}};\n")
        with Tree({"engines/a.hpp": text}) as problems:
            self.assertEqual(problems[1:], [
                "engines/a.hpp:3: function A has 81 lines (limit 80)",
                "engines/a.hpp:84: function Get has 81 lines (limit 80)"])

    def test_brace_initialized_tables_are_not_functions(self):
        rows = "\n".join(f'    {{"name{k}", {k}}},' for k in range(90))
        text = f"const std::vector<Row> kRows = {{\n{rows}\n}};\n"
        with Tree({"workloads/registry.cpp": text}) as problems:
            self.assertEqual(problems, [])

    def test_file_over_300_lines_is_caught(self):
        text = "".join(f"int v{k} = {k};\n" for k in range(301))
        with Tree({"util/a.hpp": text, "util/b.hpp": text[:-len("int v300 = 300;\n")]}) \
                as problems:
            self.assertEqual(problems[1:], ["util/a.hpp:1: file has 301 lines (limit 300)"])

    def test_tests_are_not_measured(self):
        with Tree({"tests/a_test.cpp": function_of(200)}) as problems:
            self.assertEqual(problems, [])

    def test_a_long_line_in_the_first_comment_excuses_the_file(self):
        long_file = function_of(81) + "".join(f"int v{k};\n" for k in range(300))
        reason = "#include <x>\n\n// The big one.\n// Long: generated table, kept in one place.\n"
        late = "// The big one.\n\nint x;\n// Long: too late, not in the first block.\n"
        with Tree({"core/a.cpp": reason + long_file, "core/b.cpp": late + long_file}) as problems:
            self.assertEqual([p.split(":")[0] for p in problems[1:]], ["core/b.cpp", "core/b.cpp"])


if __name__ == "__main__":
    unittest.main()
