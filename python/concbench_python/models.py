"""The six ways CPython runs the same tasks, each timing every task on CLOCK_MONOTONIC.

A model makes its executor in prepare() (threads and processes started before the clock) and
runs every task once in run(stop, return_when), returning one record per task in task order:
[status, start_ns, end_ns, worker, answer, cpu_seconds], and for a task that ran a command
[user, system, peak_bytes] of that command. status is "ok", "failed" (answer:
"Type: message"), "cancelled" (started, then stopped) or "not_run"; cpu_seconds is the thread
CPU time of a blocking body when the run asks for it, else None. `stop` is a threading.Event
the runner sets when the harness says stop; a model then cancels what it can and returns.
"""

import asyncio
import concurrent.futures
import multiprocessing
import os
import queue
import resource
import threading
import time

from concbench_python.tasks import Cancelled, TaskFailed

ALL, FIRST_COMPLETED, FIRST_EXCEPTION = "all", "first-completed", "first-exception"

_TASKS = None  # the tasks a forked pool worker runs (set before the pool forks)
_BARRIER = None  # what the pool's workers meet at once up (inherited, as a lock must be)


def _record(status, start, end, answer, cpu=None, worker=None):
    return [status, start, end, worker or threading.get_native_id(), answer, cpu]


def failure(error):
    """A failed task's answer: "Type: message", or the message alone for TaskFailed."""
    return str(error) if isinstance(error, TaskFailed) else f"{type(error).__name__}: {error}"


def run_blocking(tasks, index, stop, task_cpu):
    """Runs task `index`'s blocking body here and returns its record."""
    cpu = time.thread_time() if task_cpu else None
    start = time.monotonic_ns()
    try:
        answer, status = tasks.blocking(index, stop), "ok"
    except Cancelled:
        answer, status = "cancelled", "cancelled"
    except BaseException as error:  # the task's failure, whatever it is
        answer, status = failure(error), "failed"
    end = time.monotonic_ns()
    if cpu is not None:
        cpu = time.thread_time() - cpu
    return _with_usage(_record(status, start, end, answer, cpu), tasks, index)


def _with_usage(record, tasks, index):
    """`record` with the usage of the command task `index` ran, for forms that run commands."""
    usage = getattr(tasks, "command_usage", None)
    if usage is not None and usage(index) is not None:
        record.append(usage(index))
    return record


def _worker_usage():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return os.getpid(), usage.ru_utime, usage.ru_stime, usage.ru_maxrss * 1024


def _in_worker(index, task_cpu):
    """A process pool worker's task: its record, and the worker's own usage so far."""
    record = run_blocking(_TASKS, index, None, task_cpu)
    record[3] = os.getpid()
    return record, _worker_usage()


class Outcome:
    """Collects finished tasks and decides when the run is over (all done, or return_when met)."""

    def __init__(self, count, return_when, stop):
        self.records = [["not_run", 0, 0, 0, "", None] for _ in range(count)]
        self.left = count
        self.return_when = return_when
        self.stop = stop
        self.ended_by = ""
        self.done = queue.SimpleQueue()  # indices, as they finish; None when stopped

    def finish(self, index, record):
        self.records[index] = record
        self.done.put(index)

    def over(self, index):
        """Counts task `index` as finished; True when the run is over (all done, or return_when
        met: then ended_by says which)."""
        self.left -= 1
        status = self.records[index][0]
        if self.return_when == FIRST_COMPLETED and status in ("ok", "failed"):
            self.ended_by = FIRST_COMPLETED
        elif self.return_when == FIRST_EXCEPTION and status == "failed":
            self.ended_by = FIRST_EXCEPTION
        return self.left == 0 or bool(self.ended_by)

    def wait(self):
        """Returns when every task finished, return_when is met or stop was set (also a stop
        set before a wake() could reach this run: it is looked at every 50 ms)."""
        while self.left > 0:
            try:
                index = self.done.get(timeout=0.05)
            except queue.Empty:
                if self.stop.is_set():
                    return
                continue
            if index is None:
                return
            if self.over(index):
                if self.ended_by:
                    self.stop.set()
                return

    def wake(self):
        self.done.put(None)


class Sequential:
    """Python's reference: one task after another in the calling thread."""

    def __init__(self, tasks, request):
        self.tasks = tasks
        self.task_cpu = request.get("task_cpu", False)
        self.return_when = request.get("return_when", ALL)

    def prepare(self):
        pass

    def run(self, stop):
        outcome = Outcome(len(self.tasks), self.return_when, stop)
        for index in range(len(self.tasks)):
            if stop.is_set():
                break
            outcome.records[index] = run_blocking(self.tasks, index, stop, self.task_cpu)
            if outcome.over(index):
                break
        return outcome.records, outcome.ended_by, []

    def close(self):
        pass


class Threads(Sequential):
    """A threading.Thread per task: all started, then all joined."""

    def run(self, stop):
        outcome = Outcome(len(self.tasks), self.return_when, stop)

        def body(index):
            outcome.finish(index, run_blocking(self.tasks, index, stop, self.task_cpu))

        threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(len(self.tasks))]
        for thread in threads:
            thread.start()
        self.wake = outcome.wake
        outcome.wait()
        if outcome.ended_by or stop.is_set():
            for thread in threads:
                thread.join(0.5)  # a task stuck in CPU work is ended with the interpreter
        return outcome.records, outcome.ended_by, []


class ThreadPool(Sequential):
    """concurrent.futures.ThreadPoolExecutor(max_workers=--workers)."""

    executor_type = concurrent.futures.ThreadPoolExecutor

    def __init__(self, tasks, request):
        super().__init__(tasks, request)
        self.workers = request["workers"]
        self.executor = None

    def make_executor(self):
        return concurrent.futures.ThreadPoolExecutor(max_workers=self.workers)

    def prepare(self):
        self.executor = self.make_executor()
        # Every worker started before the clock: a pool starts them as tasks come.
        barrier = threading.Barrier(self.workers)
        list(self.executor.map(lambda _: barrier.wait(), range(self.workers)))

    def submit(self, index, stop):
        return self.executor.submit(run_blocking, self.tasks, index, stop, self.task_cpu)

    def record(self, future):
        return future.result()

    def run(self, stop):
        outcome = Outcome(len(self.tasks), self.return_when, stop)
        self.wake = outcome.wake
        futures = []
        for index in range(len(self.tasks)):
            future = self.submit(index, stop)
            future.add_done_callback(
                lambda f, i=index: None if f.cancelled() else outcome.finish(i, self.record(f)))
            futures.append(future)
        outcome.wait()
        for index, future in enumerate(futures):
            if not future.cancel() and future.running() and outcome.records[index][0] == "not_run":
                outcome.records[index] = _record("cancelled", 0, 0, "cancelled")
        return outcome.records, outcome.ended_by, self.usages()

    def usages(self):
        return []

    def close(self):
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)


class ProcessPool(ThreadPool):
    """concurrent.futures.ProcessPoolExecutor(max_workers=--workers), forked workers."""

    def make_executor(self):
        global _TASKS
        _TASKS = self.tasks
        self.baseline = {}
        self.latest = {}
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("fork"))

    def prepare(self):
        global _BARRIER
        _BARRIER = multiprocessing.get_context("fork").Barrier(self.workers)
        self.executor = self.make_executor()
        for pid, user, system, rss in self.executor.map(_warm, range(self.workers)):
            self.baseline[pid] = (user, system)
            self.latest[pid] = (user, system, rss)

    def submit(self, index, stop):
        return self.executor.submit(_in_worker, index, self.task_cpu)

    def record(self, future):
        try:
            record, (pid, user, system, rss) = future.result()
        except BaseException as error:  # a worker that died: the task fails with the cause
            return _record("failed", 0, 0, f"{type(error).__name__}: {error}")
        self.note_usage(pid, user, system, rss)
        return record

    def note_usage(self, pid, user, system, rss):
        """Keeps worker `pid`'s latest usage (a task's answer may come back out of order)."""
        previous = self.latest.get(pid, (0, 0, 0))
        if user + system >= previous[0] + previous[1]:
            self.latest[pid] = (user, system, rss)

    def close(self):
        # The workers end with the pool, also when a task of theirs is stuck in CPU work (the
        # executor offers no public way to end them before Python 3.14).
        workers = list(getattr(self.executor, "_processes", None) or {}) if self.executor else []
        processes = [self.executor._processes[pid] for pid in workers]
        super().close()
        for process in processes:
            if process.is_alive():
                process.terminate()

    def usages(self):
        """Each worker's CPU during the run, and its peak memory."""
        return [[pid, user - self.baseline.get(pid, (0, 0))[0],
                 system - self.baseline.get(pid, (0, 0))[1], rss]
                for pid, (user, system, rss) in self.latest.items()]


def _warm(_):
    _BARRIER.wait(30)  # every worker up, each answering once
    return _worker_usage()


class EventLoop(Sequential):
    """asyncio: each task a coroutine on one loop (create_task, then wait for them);
    --offload hands CPU work and blocking calls to the loop's default executor."""

    def __init__(self, tasks, request):
        super().__init__(tasks, request)
        self.offload = request.get("offload", False)
        self.loop = None

    def new_loop(self):
        return asyncio.new_event_loop()

    def prepare(self):
        self.loop = self.new_loop()
        if self.offload:  # the default executor's threads started before the clock
            self.loop.run_until_complete(self.loop.run_in_executor(None, lambda: None))

    def run(self, stop):
        return self.loop.run_until_complete(self.main(stop))

    async def main(self, stop):
        loop = asyncio.get_running_loop()
        outcome = Outcome(len(self.tasks), self.return_when, stop)
        over = asyncio.Event()
        worker = threading.get_native_id()

        async def one(index):
            start = time.monotonic_ns()
            try:
                answer, status = await self.tasks.awaitable(index, self.offload), "ok"
            except asyncio.CancelledError:
                answer, status = "cancelled", "cancelled"
            except BaseException as error:
                answer, status = failure(error), "failed"
            outcome.records[index] = _with_usage(
                _record(status, start, time.monotonic_ns(), answer, worker=worker), self.tasks,
                index)
            if outcome.over(index):
                over.set()

        self.wake = lambda: loop.call_soon_threadsafe(over.set)
        tasks = [loop.create_task(one(i)) for i in range(len(self.tasks))]
        if tasks:
            await over.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        closer = getattr(self.tasks, "aclose", None)
        if closer is not None:  # what the tasks opened on this loop (aiohttp's session)
            await closer()
        return outcome.records, outcome.ended_by, []

    def close(self):
        if self.loop is not None:
            self.loop.close()


class UvLoop(EventLoop):
    """asyncio on uvloop's event loop (libuv)."""

    def new_loop(self):
        import uvloop  # checked by the runner before anything runs
        return uvloop.new_event_loop()


MODELS = {
    "sequential": Sequential,
    "thread": Threads,
    "pool": ThreadPool,
    "process": ProcessPool,
    "asyncio": EventLoop,
    "uvloop": UvLoop,
}
ASYNC_MODELS = ("asyncio", "uvloop")
