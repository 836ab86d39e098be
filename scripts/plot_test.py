#!/usr/bin/env python3
"""Tests of the plot_*.py scripts: each renders the fixtures of tests/fixtures/ (in either
layout of a result's parameters) to a file, plot_scaling refuses a file without a sweep and
draws a file's fitted complexity,
a missing module is named with its Debian package, and plot_timeline switches to its density
view when the Gantt bars would be too many to see.

The scripts run under /usr/bin/python3 (python3 when there is none), with matplotlib's Agg
backend, into a temporary folder. Run: python3 scripts/plot_test.py (about 15 s).
"""

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
FIXTURES = SCRIPTS.parent / "tests" / "fixtures"
PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else shutil.which("python3")
PLOTS = ["plot_bars", "plot_compare", "plot_metg", "plot_scaling", "plot_timeline"]

sys.path.insert(0, str(SCRIPTS))
import concbench_plot  # noqa: E402  (must not need matplotlib)


def run(script, *args, env=None):
    """Runs scripts/`script`.py with `args`; returns (exit status, stdout, stderr)."""
    done = subprocess.run([PYTHON, str(SCRIPTS / f"{script}.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MPLBACKEND": "Agg", **(env or {})})
    return done.returncode, done.stdout, done.stderr


# Runs scripts one after another in one process (matplotlib is imported once): reads a JSON
# list of [script, args], prints a JSON list of [exit status, stdout, stderr].
BATCH = r"""
import contextlib, io, json, runpy, sys, traceback
sys.path.insert(0, sys.argv[1])
results = []
for script, args in json.load(sys.stdin):
    out, err, status = io.StringIO(), io.StringIO(), 0
    sys.argv = [script] + args
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else int(e.code is not None)
        except Exception:
            traceback.print_exc()
            status = 1
    results.append([status, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def run_many(jobs):
    """Runs each (script, args) of `jobs` as `run` does, all in one process."""
    batch = [[str(SCRIPTS / f"{script}.py"), [str(a) for a in args]] for script, args in jobs]
    done = subprocess.run([PYTHON, "-c", BATCH, str(SCRIPTS)], input=json.dumps(batch),
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    if done.returncode != 0:
        raise AssertionError(f"the batch of plots failed: {done.stderr}")
    return [tuple(r) for r in json.loads(done.stdout)]


def svg_texts(path):
    """The texts of an SVG written by matplotlib (it writes each text as a comment, with "--"
    written "- -")."""
    return [t.replace("- -", "--") for t in
            re.findall(r"<!-- (.*?) -->", Path(path).read_text(encoding="utf-8"))]


def layout(doc, new):
    """`doc` (a results file) with each result's parameters in the new layout ("settings" holds
    them all, "parameters" only the swept ones) or the old one ("parameters" holds them all)."""
    doc = json.loads(json.dumps(doc))
    for r in doc["results"]:
        everything = r.pop("settings", None) or r.get("parameters") or {}
        if new:
            r["settings"] = everything
            r["parameters"] = dict(r.get("sweep") or {})
        else:
            r["parameters"] = everything
    return doc


def timeline_file(path, workers, tasks_per_worker=1, first_id=70001):
    """A results file of one sleep run: `workers` workers with OS ids from `first_id`, each
    running `tasks_per_worker` tasks of 10 ms one after another."""
    timeline = []
    for w in range(workers):
        for k in range(tasks_per_worker):
            start = 0.001 * w + 0.01 * k
            timeline.append([len(timeline), start, start + 0.01, first_id + w, "ok"])
    result = {"workload": "sleep", "engine": "thread", "median": 0.02, "min": 0.02,
              "max": 0.02, "settings": {"tasks": len(timeline), "delay": "10ms"},
              "parameters": {}, "sweep": {}, "timeline": timeline}
    Path(path).write_text(json.dumps({"results": [result]}), encoding="utf-8")


class PlotTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="plot_test_"))
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, doc):
        path = self.dir / name
        path.write_text(json.dumps(doc), encoding="utf-8")
        return path

    def fixture(self, name, new):
        return self.write(f"{'new' if new else 'old'}_{name}",
                          layout(json.loads((FIXTURES / name).read_text()), new))

    def assert_png(self, path):
        data = Path(path).read_bytes()
        self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG")
        self.assertGreater(len(data), 10000, f"{path} is too small to hold a chart")

    def test_import_needs_no_matplotlib(self):
        self.assertNotIn("matplotlib", sys.modules)

    def test_settings_read_from_either_layout(self):
        r = json.loads((FIXTURES / "results_sweep.json").read_text())["results"][2]
        old, new = (layout({"results": [r]}, n)["results"][0] for n in (False, True))
        self.assertEqual(concbench_plot.settings(old), concbench_plot.settings(new))
        self.assertEqual(new["parameters"], {"tasks": "4"})
        self.assertEqual(concbench_plot.settings(new)["grain"], "100us")
        self.assertEqual(concbench_plot.engine_label(new), "asio --offload")

    def test_engines_own_settings_do_not_split_the_groups(self):
        # C++ and Python engines on one workload: the interpreter and the stack are the engines'.
        results = [
            {"engine": "thread", "settings": {"tasks": 6, "stack_size_bytes": 65536}},
            {"engine": "py-thread", "settings": {"tasks": 6, "python": "/usr/bin/python3",
                                                 "version": "3.11.2", "gil_enabled": True}},
            {"engine": "py-thread", "settings": {"tasks": 8, "python": "/usr/bin/python3"}},
        ]
        self.assertEqual(concbench_plot.varying_settings(results), ["tasks"])

    def test_every_script_writes_a_png_in_both_layouts(self):
        cases = []
        for new in (False, True):
            small = self.fixture("results_small.json", new)
            sweep = self.fixture("results_sweep.json", new)
            tag = "new" if new else "old"
            cases += [
                ("plot_bars", [small, "--log"], f"bars_{tag}.png"),
                ("plot_bars", [sweep], f"bars_sweep_{tag}.png"),
                ("plot_scaling", [sweep, "--metric", "throughput"], f"scaling_{tag}.png"),
                ("plot_compare", [small, self.fixture("results_small_new.json", not new)],
                 f"compare_{tag}.png"),
                ("plot_timeline", [small, "--engine", "pool", "--workload", "sleep"],
                 f"timeline_{tag}.png"),
            ]
        cases += [("plot_metg", [FIXTURES / "metg.json"], "metg.png"),
                  ("plot_timeline", [FIXTURES / "trace.json", "--result", "3"], "trace.png"),
                  # Lanes (tids) of one worker, the worker in each event's args, a run name.
                  ("plot_timeline", [FIXTURES / "trace_lanes.json", "--engine", "asio"],
                   "trace_lanes.png")]
        results = run_many([(script, [*args, "-o", self.dir / out])
                            for script, args, out in cases])
        for (_, _, out), (status, stdout, stderr) in zip(cases, results):
            self.assertEqual(status, 0, f"{out}: {stderr}")
            self.assertEqual(stdout.strip(), str(self.dir / out))
            self.assert_png(self.dir / out)

    def test_layouts_draw_the_same_scaling_and_bars(self):
        jobs = [(script, [self.fixture("results_sweep.json", new), "-o",
                          self.dir / f"{script}_{new}.svg"])
                for script in ("plot_scaling", "plot_bars") for new in (False, True)]
        for status, _, stderr in run_many(jobs):
            self.assertEqual(status, 0, stderr)
        for script in ("plot_scaling", "plot_bars"):
            self.assertEqual(svg_texts(self.dir / f"{script}_False.svg"),
                             svg_texts(self.dir / f"{script}_True.svg"), script)
        texts = svg_texts(self.dir / "plot_bars_True.svg")
        self.assertIn("spin: tasks", texts)  # bars of a sweep: grouped by the swept values
        self.assertIn("asio --offload", texts)

    def test_scaling_draws_the_fitted_complexity(self):
        fixture = FIXTURES / "results_complexity.json"  # run --sweep tasks=2,4,8,16: O(N)
        (status, _, stderr), (bare, _, bare_err), (cpu, _, cpu_err) = run_many([
            ("plot_scaling", [fixture, "-o", self.dir / "fit.svg"]),
            ("plot_scaling", [fixture, "--no-fit", "-o", self.dir / "bare.svg"]),
            ("plot_scaling", [fixture, "--metric", "throughput", "-o", self.dir / "tp.svg"])])
        self.assertEqual((status, bare, cpu), (0, 0, 0), stderr + bare_err + cpu_err)
        texts = svg_texts(self.dir / "fit.svg")
        self.assertIn("sequential: 2.12 ms·N (O(N)), RMS 0 %", texts)
        self.assertIn("pool: 1.11 ms·N (O(N)), RMS 9 %", texts)
        # The fit is of wall times: not drawn when left out, nor over another metric.
        for other in ("bare.svg", "tp.svg"):
            self.assertFalse([t for t in svg_texts(self.dir / other) if "O(N)" in t], other)

    def test_scaling_refuses_a_file_without_a_sweep(self):
        small = FIXTURES / "results_small.json"
        (refused, _, no_sweep), (refused_param, _, no_change), (status, _, stderr) = run_many([
            ("plot_scaling", [small, "-o", self.dir / "s.png"]),
            ("plot_scaling", [small, "--param", "tasks", "-o", self.dir / "s.png"]),
            # Named explicitly and varying between the results (workers 1, 2), it is plotted.
            ("plot_scaling", [small, "--param", "workers", "-o", self.dir / "w.png"])])
        self.assertEqual(refused, 2)
        self.assertIn("no sweep", no_sweep)
        self.assertIn("--sweep", no_sweep)
        self.assertEqual(refused_param, 2)
        self.assertIn("--param tasks: no results differ in it", no_change)
        self.assertFalse((self.dir / "s.png").exists())
        self.assertEqual(status, 0, stderr)
        self.assert_png(self.dir / "w.png")

    def test_a_missing_module_is_named_with_its_debian_package(self):
        for module in ("matplotlib", "numpy"):
            shim = self.dir / f"no_{module}"
            shim.mkdir()
            (shim / "sitecustomize.py").write_text(
                "import sys\n"
                "class Block:\n"
                "    def find_spec(self, name, path=None, target=None):\n"
                f"        if name.split('.')[0] == {module!r}:\n"
                "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
                "sys.meta_path.insert(0, Block())\n", encoding="utf-8")
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                runs = {script: pool.submit(run, script, *(
                    [FIXTURES / "results_small.json"] * (2 if script == "plot_compare" else 1)),
                    "-o", self.dir / f"{script}.png", env={"PYTHONPATH": str(shim)})
                    for script in PLOTS}
            for script, future in runs.items():
                status, _, stderr = future.result()
                self.assertEqual(status, 2, f"{script} without {module}: {stderr}")
                self.assertNotIn("Traceback", stderr)
                self.assertIn(f"{script}.py: needs the Python module {module}", stderr)
                self.assertIn(f"python3-{module}", stderr)

    def test_timeline_switches_to_density_above_300_workers(self):
        many, few = self.dir / "many.json", self.dir / "few.json"
        timeline_file(many, 400)
        timeline_file(few, 3, tasks_per_worker=4)
        cases = (("many", many, []), ("few", few, []), ("forced", few, ["--view", "density"]),
                 ("gantt", many, ["--view", "gantt"]))
        results = run_many([("plot_timeline", [path, *args, "-o", self.dir / f"{name}.svg"])
                            for name, path, args in cases])
        for (name, _, _), (status, _, stderr) in zip(cases, results):
            self.assertEqual(status, 0, f"{name}: {stderr}")
        self.assertIn("density view: 400 workers", svg_texts(self.dir / "many.svg"))
        self.assertIn("density view: chosen with --view density",
                      svg_texts(self.dir / "forced.svg"))
        for name in ("few", "gantt"):
            self.assertFalse(any(t.startswith("density view") for t in
                                 svg_texts(self.dir / f"{name}.svg")), name)
        few_texts = svg_texts(self.dir / "few.svg")
        self.assertIn("worker (by first task), 3 lanes", few_texts)
        self.assertTrue({"0", "1", "2"} <= set(few_texts))  # lanes numbered, not OS ids
        self.assertFalse(any("7000" in t for t in few_texts))

    def test_timeline_density_when_tasks_pile_up_on_a_worker(self):
        path = self.dir / "stacked.json"
        timeline_file(path, 1)
        doc = json.loads(path.read_text())
        doc["results"][0]["timeline"] = [[i, 0.0001 * i, 0.5, 70001, "ok"] for i in range(100)]
        path.write_text(json.dumps(doc))
        status, _, stderr = run("plot_timeline", path, "-o", self.dir / "stacked.svg")
        self.assertEqual(status, 0, stderr)
        self.assertIn("density view: more than 63 tasks at once on a worker",
                      svg_texts(self.dir / "stacked.svg"))

    def test_metg_legend_in_words(self):
        out = self.dir / "metg.svg"
        status, _, stderr = run("plot_metg", FIXTURES / "metg.json", "-o", out)
        self.assertEqual(status, 0, stderr)
        texts = svg_texts(out)
        self.assertIn("pool: no grain reached 20% efficiency up to 1 ms", texts)
        self.assertFalse(any("METG >" in t or "e+" in t for t in texts), texts)


if __name__ == "__main__":
    unittest.main()
