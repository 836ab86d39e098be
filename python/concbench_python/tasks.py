"""The Python form of each workload's task: what one task does, given its argument.

Each form has a blocking body (for the sequential, thread, pool and process models) and an
awaitable one (for asyncio and uvloop). Bodies return the task's answer as text, the same text
the C++ form gives, so the harness checks both alike. A body that sees `stop` set raises
Cancelled; an exception fails the task.
"""

import asyncio
import contextlib
import errno
import http.client
import importlib
import importlib.util
import inspect
import math
import multiprocessing
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


class Cancelled(Exception):
    """The run was stopped while this task ran."""


class TaskFailed(Exception):
    """A task failed for a reason the harness words itself (as the C++ form would say it): its
    message is the task's answer as it stands, without the exception's type."""


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


_MASK = (1 << 64) - 1
_MULTIPLIER = 6364136223846793005
_INCREMENT = 1442695040888963407
_SPIN_STOP_STEPS = 4096  # steps between two looks at the stop flag


def spin_chain(seed, steps, stop=None):
    """The spin workload's chain (workloads/spin.cpp): `steps` steps of a 64-bit linear
    congruential generator from `seed`, each depending on the last."""
    x = seed
    while steps > 0:
        chunk = min(steps, _SPIN_STOP_STEPS)
        for _ in range(chunk):
            x = (x * _MULTIPLIER + _INCREMENT) & _MASK
        steps -= chunk
        if steps > 0 and stop is not None and stop.is_set():
            raise Cancelled()
    return x


def spin_steps_per_second():
    """Chain steps this interpreter runs per CPU second: the best of several short trials."""
    trial = 1 << 14
    best = 0.0
    spin_chain(1, trial)  # warm up
    for _ in range(8):
        before = time.thread_time()
        spin_chain(1, trial)
        seconds = time.thread_time() - before
        if seconds > 0:
            best = max(best, trial / seconds)
    return best or 1e6


class Spin:
    """spin: the calibrated chain, its steps calibrated in this interpreter; answers the chain's
    end in hex ("" for a grain of 0), which the harness checks by jumping ahead."""

    kind = "compute"

    def __init__(self, form):
        self.count = form["tasks"]
        grain = form["grain"]
        self.steps = 0 if grain == 0 else max(1, round(grain * spin_steps_per_second()))

    def __len__(self):
        return self.count

    def blocking(self, index, stop):
        if self.steps == 0:
            return ""
        return format(spin_chain(index, self.steps, stop), "016x")

    async def awaitable(self, index, offload):
        if offload:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, self.blocking, index, None)
        return self.blocking(index, None)

    def state(self):
        return {"steps": self.steps}


class _Cell:
    """A counter in this process's memory."""

    def __init__(self):
        self.value = 0


class Counter:
    """counter: the tutorial's DbUpdate. A blocking task reads the counter, pauses and writes
    what it read + 1 (threads switch in the pause, so updates are lost without --lock mutex); a
    coroutine pauses first, then reads and writes with no await between (one loop loses
    nothing). Forked workers update their own copy unless --shared puts the counter in shared
    memory. Answers "read 0, wrote 1 in process PID" (or "in worker process PID")."""

    kind = "wait"

    def __init__(self, form):
        self.count = form["tasks"]
        self.pause = form["pause"]
        self.locked = form["lock"]
        if form["shared"]:
            context = multiprocessing.get_context("fork")
            self.cell = context.RawValue("q", 0)
            self.lock = context.Lock()
        else:
            self.cell = _Cell()
            self.lock = threading.Lock()
        self.async_lock = None  # made on the loop that uses it
        self.pid = os.getpid()

    def __len__(self):
        return self.count

    def _answer(self, seen):
        where = " in process " if os.getpid() == self.pid else " in worker process "
        return f"read {seen}, wrote {seen + 1}{where}{os.getpid()}"

    def blocking(self, index, stop):
        with self.lock if self.locked else contextlib.nullcontext():
            seen = self.cell.value
            _wait(self.pause, stop)
            self.cell.value = seen + 1
        return self._answer(seen)

    async def awaitable(self, index, offload):
        await _sleep(self.pause)
        if self.async_lock is None:
            self.async_lock = asyncio.Lock()
        async with self.async_lock if self.locked else contextlib.nullcontext():
            seen = self.cell.value
            self.cell.value = seen + 1
        return self._answer(seen)

    def state(self):
        return {"counter": self.cell.value}


class Queue:
    """queue: producers and consumers around one bounded queue (queue.Queue on threads,
    asyncio.Queue on a loop). Tasks 0..P-1 produce items dealt round-robin, the others consume
    until the last producer to finish sends each an end mark. Answers "produced N" or
    "consumed N"; the state is how often each item was taken, and its put-to-take latency."""

    kind = "wait"
    MAX_ITEMS = 1_000_000  # each item's figures travel back to the harness as JSON

    def __init__(self, form):
        self.producers = form["producers"]
        self.consumers = form["consumers"]
        self.items = form["items"]
        self.capacity = form["capacity"]
        if self.items > self.MAX_ITEMS:
            raise FormError(f"--items: the Python form of queue takes at most {self.MAX_ITEMS}")
        self.taken = [0] * self.items
        self.latency_ns = [0] * self.items
        self.done = 0  # producers finished
        self.done_lock = threading.Lock()
        self.blocking_queue = queue.Queue(maxsize=self.capacity)
        self.async_queue = None  # made on the loop that uses it

    def __len__(self):
        return self.producers + self.consumers

    def _last_producer(self):
        with self.done_lock:
            self.done += 1
            return self.done == self.producers

    def _consume(self, item):
        ident, put_ns = item
        self.latency_ns[ident] = time.monotonic_ns() - put_ns
        self.taken[ident] += 1

    @staticmethod
    def _patiently(operation, stop):
        """Calls operation(timeout) until it stops timing out; Cancelled once `stop` is set."""
        while True:
            try:
                return operation(0.05)
            except (queue.Full, queue.Empty):
                if stop is not None and stop.is_set():
                    raise Cancelled() from None

    def blocking(self, index, stop):
        q = self.blocking_queue
        if index < self.producers:
            mine = range(index, self.items, self.producers)
            for ident in mine:
                item = (ident, time.monotonic_ns())
                self._patiently(lambda t, item=item: q.put(item, timeout=t), stop)
            if self._last_producer():
                for _ in range(self.consumers):
                    self._patiently(lambda t: q.put(None, timeout=t), stop)
            return f"produced {len(mine)}"
        count = 0
        while (item := self._patiently(lambda t: q.get(timeout=t), stop)) is not None:
            self._consume(item)
            count += 1
        return f"consumed {count}"

    async def awaitable(self, index, offload):
        if self.async_queue is None:
            self.async_queue = asyncio.Queue(maxsize=self.capacity)
        q = self.async_queue
        if index < self.producers:
            mine = range(index, self.items, self.producers)
            for ident in mine:
                await q.put((ident, time.monotonic_ns()))
            if self._last_producer():
                for _ in range(self.consumers):
                    await q.put(None)
            return f"produced {len(mine)}"
        count = 0
        while (item := await q.get()) is not None:
            self._consume(item)
            count += 1
        return f"consumed {count}"

    def state(self):
        return {"taken": self.taken, "latency_ns": self.latency_ns}


def checksum(data):
    """The payloads' checksum (workloads/payload.hpp): FNV-1a over little-endian 8-byte words,
    the last one zero-padded, then the length."""
    h = 0xCBF29CE484222325
    whole = len(data) - len(data) % 8
    for (word,) in struct.iter_unpack("<Q", data[:whole]):
        h = ((h ^ word) * 0x100000001B3) & _MASK
    if whole < len(data):
        h = ((h ^ int.from_bytes(data[whole:], "little")) * 0x100000001B3) & _MASK
    return ((h ^ len(data)) * 0x100000001B3) & _MASK


def describe(data):
    return f"{len(data)} bytes, checksum {checksum(data):016x}"


def _stamp(index, size):
    return f"task {index};".encode()[:size]


class _Payloads:
    """Task i's payload (workloads/payload.hpp: the pattern, its start overwritten by task i's
    stamp) and the answer that describes it, as the harness gave them."""

    def __init__(self, form):
        self.pattern = form["pattern"].encode()
        self.answers = form["answers"]

    def payload(self, index):
        stamp = _stamp(index, len(self.pattern))
        return stamp + self.pattern[len(stamp):]

    def answer(self, index, data):
        """The harness's text for task `index` when `data` is its payload, else what differs."""
        expected = self.payload(index)
        if data == expected:
            return self.answers[index]
        first = next((i for i, (a, b) in enumerate(zip(data, expected)) if a != b),
                     min(len(data), len(expected)))
        return f"{len(data)} bytes, differing from task {index}'s payload at byte {first}"


class Http:
    """http: one GET per task, the local server's /task/<i> or --url; urllib.request on the
    blocking models (http.client connections kept per thread with --keep-alive), aiohttp on a
    loop (one session; --keep-alive reuses its connections). Answers "200 1024 bytes, checksum
    ..." as the C++ form does."""

    kind = "wait"

    def __init__(self, form):
        self.count = form["tasks"]
        self.keep_alive = form["keep_alive"]
        self.local = form["local"]
        self.url = form["url"]
        self.payloads = _Payloads(form) if self.local else None
        self.connections = threading.local()
        self.session = None  # aiohttp's, made on the loop that uses it
        try:  # imported before the clock starts (about 50 ms)
            import aiohttp  # noqa: F401
        except ImportError:
            pass  # refuses() says so on the event loops; the other models do not need it

    def __len__(self):
        return self.count

    def refuses(self, model):
        if model in ("asyncio", "uvloop") and importlib.util.find_spec("aiohttp") is None:
            return (f"py-{model}: http needs aiohttp in this interpreter (Debian: apt-get install "
                    "python3-aiohttp)")
        return ""

    def _url(self, index):
        return f"{self.url}{index}" if self.local else self.url

    def _answer(self, index, status, body):
        if self.local and status == 503:  # the local server out of descriptors: its reason
            raise TaskFailed(f"GET {self._url(index)}: {body.decode(errors='replace')}")
        if self.local and status == 200:
            return f"{status} {self.payloads.answer(index, body)}"
        return f"{status} {describe(body)}"

    def blocking(self, index, stop):
        if stop is not None and stop.is_set():
            raise Cancelled()
        if not self.keep_alive:
            request = urllib.request.Request(self._url(index), headers={"User-Agent": "concbench"})
            try:
                with urllib.request.urlopen(request) as response:
                    return self._answer(index, response.status, response.read())
            except urllib.error.HTTPError as error:
                return self._answer(index, error.code, error.read())
        parts = urllib.parse.urlsplit(self._url(index))
        target = parts.path + ("?" + parts.query if parts.query else "") or "/"
        for attempt in range(2):
            connection = getattr(self.connections, "one", None)
            reused = connection is not None
            if not reused:
                connection = http.client.HTTPConnection(parts.hostname, parts.port or 80)
                self.connections.one = connection
            try:
                connection.request("GET", target, headers={"User-Agent": "concbench"})
                response = connection.getresponse()
                return self._answer(index, response.status, response.read())
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                self.connections.one = None
                if not reused or attempt > 0:  # a kept connection the server closed: once more
                    raise

    async def awaitable(self, index, offload):
        import aiohttp  # checked by refuses()
        if self.session is None:
            connector = aiohttp.TCPConnector(force_close=not self.keep_alive, limit=0)
            self.session = aiohttp.ClientSession(connector=connector, auto_decompress=False)
        async with self.session.get(self._url(index), headers={"User-Agent": "concbench"}) as r:
            return self._answer(index, r.status, await r.read())

    async def aclose(self):
        if self.session is not None:
            await self.session.close()


class File:
    """file: task i writes its payload to its own file in the run's folder, fsyncs it with
    --fsync, reads it back and removes it (asyncio.to_thread on a loop: there is no
    asynchronous file I/O in the standard library). Answers "65536 bytes, checksum ..."."""

    kind = "wait"

    def __init__(self, form):
        self.count = form["tasks"]
        self.folder = form["folder"]
        self.fsync = form["fsync"]
        self.payloads = _Payloads(form)

    def __len__(self):
        return self.count

    def blocking(self, index, stop):
        if stop is not None and stop.is_set():
            raise Cancelled()
        path = os.path.join(self.folder, f"task-{index}")
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            with os.fdopen(fd, "r+b", buffering=0) as file:
                file.write(self.payloads.payload(index))
                if self.fsync:
                    os.fsync(file.fileno())
                file.seek(0)
                data = file.read()
        finally:
            os.unlink(path)
        return self.payloads.answer(index, data)

    async def awaitable(self, index, offload):
        self.offloaded = True
        return await asyncio.to_thread(self.blocking, index, None)

    def state(self):
        """How the file calls ran: the default executor's threads when a loop offloaded them."""
        if not getattr(self, "offloaded", False):
            return {}
        return {"io_threads": min(32, (os.cpu_count() or 1) + 4)}  # ThreadPoolExecutor's default


def _bytes(text):
    """The bytes the harness sent as Latin-1 text (see workloads/exec.cpp)."""
    return text.encode("latin-1")


def _open_stdio(path, flags, what):
    """Opens a command's standard stream without waiting, as the harness does: a FIFO without a
    writer reads as empty; one without a reader fails the task."""
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY, 0o644)
    except OSError as error:
        why = "a FIFO with no reader" if error.errno == errno.ENXIO else error.strerror
        raise TaskFailed(f"cannot open {what} '{os.fsdecode(path)}': {why}") from None
    os.set_blocking(fd, True)
    return fd


def _describe_exit(status):
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    if os.WIFEXITED(status):
        return f"exited with status {os.WEXITSTATUS(status)}"
    return f"ended with wait status {status}"


def _exit_words(accepted):
    """ "exit status 0" or "exit status 0, 1 or 3", as the harness words them."""
    if len(accepted) == 1:
        return f"exit status {accepted[0]}"
    return f"exit status {', '.join(map(str, accepted[:-1]))} or {accepted[-1]}"


class Exec:
    """exec: task i runs its command (argv, stdin and output as the harness expanded them) in a
    process group of its own, and reaps it with os.wait4 for its CPU time
    and peak memory; on a loop the exit is awaited on a pidfd (asyncio's own child watcher reaps
    without that usage). A stop ends the group: SIGTERM, then SIGKILL after --grace. Answers
    "exit 0"; another exit status fails the task, as in C++."""

    def __init__(self, form):
        self.tasks = form["tasks"]
        self.kind = form["kind"]
        self.cwd = _bytes(form["cwd"]) or None
        self.env = dict(_bytes(entry).split(b"=", 1) for entry in form["environment"])
        # The accepted exit statuses, or None for any ending (--ignore-failure).
        self.expect_exit = form["expect_exit"]
        # With --show-output the commands write to the interpreter's stderr, the harness's: its
        # stdout carries the line protocol.
        self.show_output = form.get("show_output", False)
        self.grace = form["grace"]
        self.usage = [None] * len(self.tasks)
        self.pid = os.getpid()  # a forked pool worker is another process

    def __len__(self):
        return len(self.tasks)

    def command_usage(self, index):
        return self.usage[index]

    def _start(self, index):
        """Starts task `index`'s command; its pid. posix_spawnp (a vfork in glibc) keeps the
        interpreter's pages out of the command's peak memory; with --cwd, which posix_spawn
        cannot set here, subprocess.Popen starts it."""
        task = self.tasks[index]
        argv = [_bytes(word) for word in task["argv"]]
        stdin = _open_stdio(_bytes(task["stdin"]) or os.devnull, os.O_RDONLY,
                            "its standard input")
        try:
            if self.show_output:
                output = os.dup(2)
            else:
                output = _open_stdio(_bytes(task["output"]) or os.devnull,
                                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC, "its output")
        except BaseException:
            os.close(stdin)
            raise
        try:
            if self.cwd is None:
                return os.posix_spawnp(argv[0], argv, self.env, setsid=self._own_group(),
                                       file_actions=[
                    (os.POSIX_SPAWN_DUP2, stdin, 0), (os.POSIX_SPAWN_DUP2, output, 1),
                    (os.POSIX_SPAWN_DUP2, output, 2)])
            process = subprocess.Popen(argv, stdin=stdin, stdout=output, stderr=output,
                                       cwd=self.cwd, env=self.env,
                                       start_new_session=self._own_group())
            process.returncode = 0  # reaped with os.wait4 for its usage, not by Popen
            return process.pid
        except OSError as error:
            raise TaskFailed(f"{task['argv'][0]}: {error.strerror}") from None
        finally:
            os.close(stdin)
            os.close(output)

    def _finish(self, index, pid, pidfd, stopped):
        """Reaps the command, its group ended first when stopped (SIGTERM, then SIGKILL after
        the grace); the task's answer."""
        if stopped:
            self._signal_group(pid, signal.SIGTERM)
            if not select.select([pidfd], [], [], self.grace)[0]:
                self._signal_group(pid, signal.SIGKILL)
        os.close(pidfd)
        _, status, usage = os.wait4(pid, 0)
        self._signal_group(pid, signal.SIGKILL)  # what the command left behind in its group
        self.usage[index] = [usage.ru_utime, usage.ru_stime, usage.ru_maxrss * 1024]
        if stopped:
            raise Cancelled()
        if self.expect_exit is not None and not (
                os.WIFEXITED(status) and os.WEXITSTATUS(status) in self.expect_exit):
            raise TaskFailed(f"{_describe_exit(status)}, expected {_exit_words(self.expect_exit)}")
        if os.WIFEXITED(status):
            return f"exit {os.WEXITSTATUS(status)}"
        return _describe_exit(status)

    def _own_group(self):
        """True where commands lead their own process groups: in the interpreter, not in a
        pool's worker, whose commands stay in its group, which the harness ends with the run's."""
        return os.getpid() == self.pid

    def _signal_group(self, pid, number):
        try:
            if self._own_group():
                os.killpg(pid, number)
            else:
                os.kill(pid, number)
        except (ProcessLookupError, PermissionError):
            pass

    def blocking(self, index, stop):
        self.usage[index] = None
        pid = self._start(index)
        pidfd = os.pidfd_open(pid)
        stopped = False
        while not select.select([pidfd], [], [], 0.05)[0]:
            if stop is not None and stop.is_set():
                stopped = True
                break
        return self._finish(index, pid, pidfd, stopped)

    async def awaitable(self, index, offload):
        self.usage[index] = None
        pid = self._start(index)
        pidfd = os.pidfd_open(pid)
        loop = asyncio.get_running_loop()
        ended = loop.create_future()
        loop.add_reader(pidfd, lambda: ended.done() or ended.set_result(None))
        try:
            await ended
        except asyncio.CancelledError:  # the run was stopped: the command's group ends with it
            loop.remove_reader(pidfd)
            with contextlib.suppress(Cancelled):
                self._finish(index, pid, pidfd, True)
            raise
        loop.remove_reader(pidfd)
        return self._finish(index, pid, pidfd, False)


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


FORMS = {
    "sleep": Sleep,
    "primes": Primes,
    "blocking": Blocking,
    "spin": Spin,
    "counter": Counter,
    "queue": Queue,
    "http": Http,
    "file": File,
    "exec": Exec,
    "function": Function,
}


def make(form):
    """The tasks that `form` (the harness's description) describes."""
    kind = form.get("form")
    if kind not in FORMS:
        raise FormError(f"no Python form named {kind!r}")
    made = FORMS[kind](form)
    if "graph" in form:  # --pattern: the tasks as a graph's (graph_models.py runs them)
        from concbench_python.graph import Graph
        made.graph = Graph(form["graph"])
    return made
