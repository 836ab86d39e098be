"""The Python engines' models and task forms, without the harness: every model runs the same
tasks with the same answers, a stop ends waiting tasks promptly, return_when ends the run at the
first completed (or failed) task, and the user's function is checked before anything runs."""

import os
import sys
import threading
import time
import unittest

from concbench_python import models, runner, tasks
from tests import forking

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python")


def sleep_form(*seconds, blocking=()):
    return {"form": "sleep", "tasks": [
        {"seconds": s, "text": f"{s}s", "blocking": i in blocking} for i, s in enumerate(seconds)]}


def run(model, form, stop_after=None, **request):
    made = tasks.make(form)
    request = {"model": model, "workers": 2, **request}
    engine = models.MODELS[model](made, request)
    forking.prepare(engine)
    stop = threading.Event()
    if stop_after is not None:
        def stopper():
            time.sleep(stop_after)
            stop.set()
            wake = getattr(engine, "wake", None)
            if wake is not None:
                wake()
        threading.Thread(target=stopper, daemon=True).start()
    try:
        return engine.run(stop)
    finally:
        engine.close()


class EveryModel(unittest.TestCase):
    def test_runs_every_task_once_with_the_forms_answers(self):
        form = {"form": "primes", "tasks": [7, 9, 1099726899285419 % 1000003, 2]}
        expected = ["prime" if tasks.is_prime(n) else "composite" for n in form["tasks"]]
        for model in models.MODELS:
            with self.subTest(model=model):
                records, ended_by, _ = run(model, form)
                self.assertEqual([r[0] for r in records], ["ok"] * 4)
                self.assertEqual([r[4] for r in records], expected)
                self.assertEqual(ended_by, "")
                for status, start, end, worker, answer, cpu in records:
                    self.assertLessEqual(start, end)
                    self.assertGreater(worker, 0)

    def test_waits_overlap_where_the_model_overlaps_them(self):
        # Four waits of 0.2 s: one after another takes 0.8 s; overlapped, one wait.
        for model, overlapped in [("sequential", False), ("thread", True), ("asyncio", True)]:
            with self.subTest(model=model):
                records, _, _ = run(model, sleep_form(0.2, 0.2, 0.2, 0.2))
                span = (max(r[2] for r in records) - min(r[1] for r in records)) / 1e9
                self.assertEqual([r[4] for r in records], ["slept 0.2s"] * 4)
                if overlapped:
                    self.assertLess(span, 0.7)
                else:
                    self.assertGreaterEqual(span, 0.8)


class Stops(unittest.TestCase):
    def test_a_stop_cancels_waits_at_once(self):
        for model in ("sequential", "thread", "pool", "asyncio"):
            with self.subTest(model=model):
                began = time.monotonic()
                records, _, _ = run(model, sleep_form(30, 30, 30), stop_after=0.2)
                self.assertLess(time.monotonic() - began, 10)
                statuses = {r[0] for r in records}
                self.assertIn("cancelled", statuses)
                self.assertNotIn("ok", statuses)

    def test_first_completed_ends_the_run_at_the_first_task(self):
        for model in ("thread", "pool", "asyncio"):
            with self.subTest(model=model):
                records, ended_by, _ = run(model, sleep_form(0.05, 30, 30),
                                           return_when="first-completed")
                self.assertEqual(ended_by, "first-completed")
                self.assertEqual(records[0][0], "ok")
                self.assertNotIn("ok", {r[0] for r in records[1:]})


class UserFunctions(unittest.TestCase):
    def form(self, call, **more):
        module, function = call.split(":")
        return {"form": "function", "module": module, "function": function, "path": EXAMPLES,
                "tasks": 4, **more}

    def test_answers_failures_and_arguments(self):
        records, _, _ = run("sequential", self.form("tasks:fail_odd"))
        self.assertEqual([r[0] for r in records], ["ok", "failed", "ok", "failed"])
        self.assertEqual(records[1][4], "ValueError: task 1 is odd")
        records, _, _ = run("process", self.form("tasks:count_primes", args=[100]))
        self.assertEqual({r[4] for r in records}, {"25"})
        self.assertEqual(len({r[3] for r in records} - {os.getpid()}), len({r[3] for r in records}))
        records, _, _ = run("asyncio", self.form("tasks:wait", args=[0.01]))
        self.assertEqual({r[4] for r in records}, {"waited 0.01"})

    def test_what_cannot_run_is_refused_with_the_reason(self):
        with self.assertRaisesRegex(tasks.FormError, "cannot import 'no_such_module'"):
            tasks.make(self.form("no_such_module:f"))
        with self.assertRaisesRegex(tasks.FormError, "has no 'nothing'"):
            tasks.make(self.form("tasks:nothing"))
        made = tasks.make(self.form("tasks:wait"))
        self.assertIn("async def", runner._check({"model": "thread"}, made))
        self.assertEqual(runner._check({"model": "asyncio"}, made), "")
        plain = tasks.make(self.form("tasks:sleep"))
        self.assertIn("plain function", runner._check({"model": "uvloop"}, plain))


class SharedState(unittest.TestCase):
    """The forms whose tasks share state report it after the run, as the harness reads it."""

    def test_the_counter_loses_updates_on_threads_only(self):
        form = {"form": "counter", "tasks": 2, "pause": 0.2, "lock": False, "shared": False}
        for model, final in [("thread", 1), ("asyncio", 2), ("sequential", 2), ("process", 0)]:
            with self.subTest(model=model):
                made = tasks.make(form)
                records, _, _ = run_made(model, made)
                self.assertEqual([r[0] for r in records], ["ok", "ok"])
                self.assertEqual(made.state(), {"counter": final})
        locked = tasks.make({**form, "lock": True})
        run_made("thread", locked)
        self.assertEqual(locked.state(), {"counter": 2})

    def test_the_queue_takes_every_item_once(self):
        form = {"form": "queue", "producers": 2, "consumers": 3, "items": 500, "capacity": 4}
        for model in ("thread", "asyncio"):
            with self.subTest(model=model):
                made = tasks.make(form)
                records, _, _ = run_made(model, made)
                self.assertEqual([r[4] for r in records[:2]], ["produced 250"] * 2)
                self.assertEqual(sum(int(r[4].split()[1]) for r in records[2:]), 500)
                self.assertEqual(made.state()["taken"], [1] * 500)
        with self.assertRaisesRegex(tasks.FormError, "--items: the Python form of queue"):
            tasks.make({**form, "items": tasks.Queue.MAX_ITEMS + 1})


class Payloads(unittest.TestCase):
    def test_the_checksum_is_the_harness_checksum(self):
        # Values of ChecksumOf (workloads/payload.cpp) for the same bytes.
        self.assertEqual(tasks.checksum(b""), 0xAF63BD4C8601B7DF)
        self.assertEqual(tasks.checksum(b"abc"), 0xC88FE5618DDAC4FD)
        self.assertEqual(tasks.checksum(b"0123456789abcdefXYZ"), 0xD73C3FFFB7D2888C)

    def test_another_tasks_payload_is_not_answered_as_this_ones(self):
        payloads = tasks._Payloads({"pattern": "x" * 20, "answers": ["zero", "one"]})
        self.assertEqual(payloads.payload(1), b"task 1;" + b"x" * 13)
        self.assertEqual(payloads.answer(1, payloads.payload(1)), "one")
        self.assertEqual(payloads.answer(1, payloads.payload(0)),
                         "20 bytes, differing from task 1's payload at byte 5")


def run_made(model, made):
    engine = models.MODELS[model](made, {"model": model, "workers": 2})
    forking.prepare(engine)
    try:
        return engine.run(threading.Event())
    finally:
        engine.close()


if __name__ == "__main__":
    unittest.main()
