"""The Python form of each workload's task: what one task does, given its argument.

Each form has a blocking body (for the sequential, thread, pool and process models) and an
awaitable one (for asyncio and uvloop). Bodies return the task's answer as text, the same text
the C++ form gives, so the harness checks both alike. A body that sees `stop` set raises
Cancelled; an exception fails the task.
"""

import asyncio
import importlib
import inspect
import math
import os
import sys
import time


class Cancelled(Exception):
    """The run was stopped while this task ran."""


class FormError(Exception):
    """The tasks cannot be made (an import that fails, a function that is not there)."""


# Trial divisions between two looks at the stop flag: about 5 ms of CPython.
_PRIMES_CHUNK = 1 << 16


def is_prime(n, stop=None):
    """The tutorial's trial division: odd divisors up to the square root."""
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    limit = math.isqrt(n)
    for low in range(3, limit + 1, 2 * _PRIMES_CHUNK):
        if stop is not None and stop.is_set():
            raise Cancelled()
        for i in range(low, min(low + 2 * _PRIMES_CHUNK, limit + 1), 2):
            if n % i == 0:
                return False
    return True


async def _sleep(seconds):
    """asyncio.sleep for at least `seconds` on CLOCK_MONOTONIC. uvloop's timers count whole
    milliseconds from a time cached at the start of a loop iteration, so a sleep there can end up
    to a millisecond early; the rest is slept again (a second timer, only then)."""
    end = time.monotonic_ns() + int(seconds * 1e9)
    await asyncio.sleep(seconds)
    while (left := end - time.monotonic_ns()) > 0:
        await asyncio.sleep(left / 1e9)


def _wait(seconds, stop):
    """Sleeps `seconds`, or until `stop` is set (then Cancelled)."""
    if stop is None:
        time.sleep(seconds)
    elif stop.wait(seconds):
        raise Cancelled()


class Sleep:
    """sleep: waits its delay; answers "slept 2s"."""

    kind = "wait"

    def __init__(self, form):
        self.tasks = form["tasks"]

    def __len__(self):
        return len(self.tasks)

    def blocking(self, index, stop):
        task = self.tasks[index]
        _wait(task["seconds"], stop)
        return "slept " + task["text"]

    async def awaitable(self, index, offload):
        task = self.tasks[index]
        await _sleep(task["seconds"])
        return "slept " + task["text"]


class Primes:
    """primes: the tutorial's is_prime on its number; answers "prime" or "composite"."""

    kind = "compute"

    def __init__(self, form):
        self.tasks = form["tasks"]

    def __len__(self):
        return len(self.tasks)

    def blocking(self, index, stop):
        return "prime" if is_prime(self.tasks[index], stop) else "composite"

    async def awaitable(self, index, offload):
        # CPU work holds the loop unless --offload hands it to the loop's default executor.
        if offload:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, self.blocking, index, None)
        return self.blocking(index, None)


class Blocking:
    """blocking: a wait, or a blocking call (time.sleep) that holds an event loop's thread
    unless --offload moves it to the loop's executor; answers "waited 1s" or "blocked 1s"."""

    kind = "wait"

    def __init__(self, form):
        self.tasks = form["tasks"]

    def __len__(self):
        return len(self.tasks)

    def _answer(self, task):
        return ("blocked " if task["blocking"] else "waited ") + task["text"]

    def blocking(self, index, stop):
        task = self.tasks[index]
        _wait(task["seconds"], stop)
        return self._answer(task)

    async def awaitable(self, index, offload):
        task = self.tasks[index]
        if not task["blocking"]:
            await _sleep(task["seconds"])
        elif offload:
            await asyncio.get_running_loop().run_in_executor(None, time.sleep, task["seconds"])
        else:
            time.sleep(task["seconds"])  # the lesson: the loop stands still meanwhile
        return self._answer(task)


class Function:
    """python: the user's function, called as function(index, *args); its str() is the answer.
    A plain function runs on the blocking models, an `async def` on the event loops."""

    kind = "compute"

    def __init__(self, form):
        self.count = form["tasks"]
        self.args = form.get("args", [])
        self.kind = form.get("kind", "compute")
        path = form.get("path") or ""
        if path:
            sys.path.insert(0, os.path.abspath(path))
        try:
            module = importlib.import_module(form["module"])
        except Exception as error:  # any error while importing is the user's to see
            raise FormError(
                f"--call: cannot import {form['module']!r}"
                f"{' from ' + path if path else ''}: {type(error).__name__}: {error}"
            ) from None
        function = getattr(module, form["function"], None)
        if function is None:
            raise FormError(f"--call: {form['module']} has no {form['function']!r}")
        if not callable(function):
            raise FormError(f"--call: {form['module']}.{form['function']} is not callable")
        self.function = function
        self.is_async = inspect.iscoroutinefunction(function)
        self.name = f"{form['module']}.{form['function']}"

    def __len__(self):
        return self.count

    def blocking(self, index, stop):
        return str(self.function(index, *self.args))

    async def awaitable(self, index, offload):
        return str(await self.function(index, *self.args))


FORMS = {"sleep": Sleep, "primes": Primes, "blocking": Blocking, "function": Function}


def make(form):
    """The tasks that `form` (the harness's description) describes."""
    kind = form.get("form")
    if kind not in FORMS:
        raise FormError(f"no Python form named {kind!r}")
    return FORMS[kind](form)
