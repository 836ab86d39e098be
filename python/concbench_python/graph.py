"""A Task Bench graph as the Python engines see it (the harness's GraphWorkload, --pattern): each
task's inputs, its (step, point), and the data it writes for the tasks that wait for it.

Every task writes `output_bytes` made of its (step, point) (stamp, as workloads/edge_data.cpp
computes it) and, before it runs, checks the output of every input it was given, so that a task
started before its inputs finished, or given another task's output, fails naming the edge with
the C++ engines' words. A task whose input did not finish ok does not run: skipped() words it.
"""

import struct

from concbench_python.tasks import TaskFailed

_MASK = (1 << 64) - 1


def stamp(step, point, word):
    """Word `word` of the output of the task at (step, point): splitmix64 of the three, never 0
    (0 is "not written"); the same as Stamp in workloads/edge_data.cpp."""
    z = ((((step << 32) & _MASK) ^ point) + (word + 1) * 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return z or 1


class Graph:
    """The form's "graph": {"inputs": per task [[first, count], ...], "places": per task
    [step, point], "output_bytes": n}. Every input of a task has a lower index than the task."""

    def __init__(self, form):
        self.places = [tuple(place) for place in form["places"]]
        self.words = max(1, (form["output_bytes"] + 7) // 8)
        self.inputs = [[i for first, count in ranges for i in range(first, first + count)]
                       for ranges in form["inputs"]]
        self.outputs = [[] for _ in self.places]
        for task, inputs in enumerate(self.inputs):
            for source in inputs:
                self.outputs[source].append(task)

    def __len__(self):
        return len(self.places)

    def describe(self, task):
        """Task `task` in words, e.g. "task 17 (step 2, point 1)"."""
        step, point = self.places[task]
        return f"task {task} (step {step}, point {point})"

    def output(self, task):
        """The bytes task `task` writes: its (step, point)'s stamps, little-endian words."""
        step, point = self.places[task]
        return struct.pack(f"<{self.words}Q", *(stamp(step, point, w) for w in range(self.words)))

    def check(self, task, received):
        """Raises TaskFailed naming the edge when an input's output is not what its (step, point)
        writes; `received(input)` is the output task `task` was given for it, or None."""
        for source in self.inputs[task]:
            data = received(source)
            why = self._problem(source, data)
            if why:
                raise TaskFailed(
                    f"started before its input {self.describe(source)} had finished: {why}")

    def _problem(self, source, data):
        if data is None:
            return "its output was not there yet"
        expected = self.output(source)
        if data == expected:
            return ""
        for w in range(self.words):
            if data[w * 8:w * 8 + 8] != expected[w * 8:w * 8 + 8]:
                return f"its output differs at byte {w * 8}"
        return f"its output differs at byte {len(expected)}"  # longer than written

    def first_not_ok(self, task, status):
        """The first input of `task` whose status(input) is not "ok", or None."""
        for source in self.inputs[task]:
            if status(source) != "ok":
                return source
        return None

    def skipped(self, task, status):
        """Why task `task`, an input of which did not finish ok, does not run, as C++ words it:
        "not run: its input task 3 (step 0, point 3) failed" (or "was cancelled")."""
        source = self.first_not_ok(task, status)
        if source is None:
            return "not run: an input did not finish"
        how = "was cancelled" if status(source) == "cancelled" else "failed"
        return f"not run: its input {self.describe(source)} {how}"
