"""Task graphs on the Python models (graph_models.py): every model runs a graph's tasks after
their inputs with the data along each edge checked, a failed task's dependents are not run and
worded as the C++ engines word them, and the stamps are the C++ ones."""

import asyncio
import threading
import time
import unittest

from concbench_python import graph_models
from tests import forking
from concbench_python.graph import Graph, stamp
from concbench_python.tasks import TaskFailed

# Steps of points: 0, 1 | 2 <- 0, 1; 3 <- 1 | 4 <- 2; 5 <- 3 | 6 <- 4, 5
GRAPH = {
    "inputs": [[], [], [[0, 2]], [[1, 1]], [[2, 1]], [[3, 1]], [[4, 2]]],
    "places": [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1], [3, 0]],
    "output_bytes": 16,
}


class Tasks:
    """Tasks of `delay` seconds; task `bad` raises."""

    kind = "wait"

    def __init__(self, bad=None, delay=0.005):
        self.graph = Graph(GRAPH)
        self.bad = bad
        self.delay = delay

    def __len__(self):
        return len(self.graph)

    def blocking(self, index, stop):
        time.sleep(self.delay)
        return self.answer(index)

    async def awaitable(self, index, offload):
        await asyncio.sleep(self.delay)
        return self.answer(index)

    def answer(self, index):
        if index == self.bad:
            raise ValueError("boom")
        return f"task {index}"


def run(model, tasks):
    engine = graph_models.model_for(model, tasks)(tasks, {"model": model, "workers": 2})
    forking.prepare(engine)
    try:
        return engine.run(threading.Event())[0]
    finally:
        engine.close()


class StampTest(unittest.TestCase):
    def test_the_same_words_as_the_cpp_stamp(self):
        # The same values are pinned in tests/graph_test.cpp against workloads/graph.cpp's Stamp.
        self.assertEqual(stamp(0, 0, 0), 16294208416658607535)
        self.assertEqual(stamp(3, 5, 1), 14454496555149871278)
        self.assertEqual(stamp(2, 1, 0), 14160868677571091529)
        self.assertEqual(stamp((1 << 32) + 7, 9, 4), 6244056176991158463)


class GraphTest(unittest.TestCase):
    def test_a_missing_or_wrong_input_fails_naming_the_edge(self):
        graph = Graph(GRAPH)
        with self.assertRaisesRegex(TaskFailed, r"^started before its input task 0 \(step 0, "
                                                r"point 0\) had finished: its output was not "
                                                r"there yet$"):
            graph.check(2, {1: graph.output(1)}.get)
        wrong = graph.output(0)[:8] + bytes(8)
        with self.assertRaisesRegex(TaskFailed, r"input task 0 \(step 0, point 0\) had "
                                                r"finished: its output differs at byte 8$"):
            graph.check(2, {0: wrong, 1: graph.output(1)}.get)
        graph.check(2, {0: graph.output(0), 1: graph.output(1)}.get)

    def test_every_model_runs_each_task_after_its_inputs(self):
        graph = Graph(GRAPH)
        for model in graph_models.MODELS:
            if model == "uvloop" and not has_uvloop():
                continue
            with self.subTest(model=model):
                records = run(model, Tasks())
                self.assertEqual([r[0] for r in records], ["ok"] * 7, records)
                self.assertEqual([r[4] for r in records], [f"task {i}" for i in range(7)])
                for task, inputs in enumerate(graph.inputs):
                    for source in inputs:
                        self.assertGreaterEqual(records[task][1], records[source][2])

    def test_a_failed_tasks_dependents_are_not_run_on_every_model(self):
        for model in graph_models.MODELS:
            if model == "uvloop" and not has_uvloop():
                continue
            with self.subTest(model=model):
                records = run(model, Tasks(bad=0))
                self.assertEqual([r[0] for r in records], [
                    "failed", "ok", "cancelled", "ok", "cancelled", "ok", "cancelled"])
                self.assertEqual(records[0][4], "ValueError: boom")
                self.assertEqual(records[2][4],
                                 "not run: its input task 0 (step 0, point 0) failed")
                self.assertEqual(records[4][4],
                                 "not run: its input task 2 (step 1, point 0) was cancelled")
                self.assertEqual(records[6][4],
                                 "not run: its input task 4 (step 2, point 0) was cancelled")

    def test_a_stop_ends_a_long_chain_promptly_on_every_model(self):
        chain = {"inputs": [[]] + [[[i, 1]] for i in range(39)],
                 "places": [[i, 0] for i in range(40)], "output_bytes": 16}
        for model in graph_models.MODELS:
            if model == "uvloop" and not has_uvloop():
                continue
            with self.subTest(model=model):
                tasks = Tasks(delay=0.05)
                tasks.graph = Graph(chain)
                engine = graph_models.model_for(model, tasks)(tasks, {"model": model, "workers": 2})
                forking.prepare(engine)
                stop = threading.Event()

                def stopper():
                    time.sleep(0.05)
                    stop.set()
                    if hasattr(engine, "wake"):
                        engine.wake()

                threading.Thread(target=stopper, daemon=True).start()
                began = time.monotonic()
                try:
                    records = engine.run(stop)[0]
                finally:
                    engine.close()
                self.assertLess(time.monotonic() - began, 1.5)  # the chain takes 2 s
                self.assertEqual(records[-1][0], "not_run")


def has_uvloop():
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    unittest.main()
