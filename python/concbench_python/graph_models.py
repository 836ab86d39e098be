"""The six models on a task graph (a form with "graph", graph.py): each honours the edges the way
a CPython programmer writes it, and returns records as models.py's models do.

  sequential  task order: every input has a lower index.
  thread      a threading.Thread per task, all started at once, each waiting on its inputs'
              threading.Event before it runs, then setting its own.
  pool        ThreadPoolExecutor: a task is submitted by the done callback of its last input's
              future (a count of unfinished inputs per task, under a lock); no worker waits.
  process     ProcessPoolExecutor, likewise; the inputs' outputs are the arguments of the task's
              call in the worker and its output comes back with its record.
  asyncio,    each task a coroutine that awaits its inputs' tasks (asyncio.gather), then runs:
  uvloop      tasks awaiting tasks.

A task checks every input's output before it runs (graph.Graph.check) and writes its own after;
a task an input of which did not finish ok does not run and is recorded "cancelled" with
"not run: its input task N (step s, point p) failed" (or "was cancelled").
"""

import asyncio
import os
import threading
import time

from concbench_python import models


class _Node:
    """A task's body behind the graph: checks what it was given, runs the task, writes its
    output into `written` (what models.run_blocking and the loops run)."""

    def __init__(self, tasks, received, written):
        self.tasks = tasks
        self.graph = tasks.graph
        self.received = received
        self.written = written
        self.command_usage = getattr(tasks, "command_usage", None)

    def blocking(self, index, stop):
        self.graph.check(index, self.received)
        answer = self.tasks.blocking(index, stop)
        self.written[index] = self.graph.output(index)
        return answer

    async def awaitable(self, index, offload):
        self.graph.check(index, self.received)
        answer = await self.tasks.awaitable(index, offload)
        self.written[index] = self.graph.output(index)
        return answer


def _skipped(graph, index, outcome):
    """The record of task `index`, an input of which did not finish ok."""
    why = graph.skipped(index, lambda source: outcome.records[source][0])
    return models._record("cancelled", 0, 0, why)


def _input_not_ok(graph, index, outcome):
    return graph.first_not_ok(index, lambda source: outcome.records[source][0]) is not None


class Sequential(models.Sequential):
    """One task after another in task order."""

    def run(self, stop):
        graph = self.tasks.graph
        outcome = models.Outcome(len(graph), self.return_when, stop)
        outputs = {}
        node = _Node(self.tasks, outputs.get, outputs)
        for index in range(len(graph)):
            if stop.is_set():
                break
            if _input_not_ok(graph, index, outcome):
                outcome.records[index] = _skipped(graph, index, outcome)
            else:
                outcome.records[index] = models.run_blocking(node, index, stop, self.task_cpu)
            if outcome.over(index):
                break
        return outcome.records, outcome.ended_by, []


class Threads(models.Sequential):
    """A thread per task, all started; each waits on its inputs' Events, runs, sets its own."""

    def run(self, stop):
        graph = self.tasks.graph
        outcome = models.Outcome(len(graph), self.return_when, stop)
        outputs = {}
        node = _Node(self.tasks, outputs.get, outputs)
        done = [threading.Event() for _ in range(len(graph))]

        def body(index):
            for source in graph.inputs[index]:
                done[source].wait()
            if stop.is_set():
                done[index].set()
                return
            if _input_not_ok(graph, index, outcome):
                record = _skipped(graph, index, outcome)
            else:
                record = models.run_blocking(node, index, stop, self.task_cpu)
            outcome.finish(index, record)
            done[index].set()

        threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(len(graph))]
        self.wake = outcome.wake  # before the threads start: a stop may come while they do
        for thread in threads:
            thread.start()
        outcome.wait()
        if outcome.ended_by or stop.is_set():
            for event in done:  # the waiting threads see the stop and return
                event.set()
            for thread in threads:
                thread.join(0.5)  # a task stuck in CPU work is ended with the interpreter
        return outcome.records, outcome.ended_by, []


class _Pool:
    """What the two executors share: a task is submitted from the done callback of its last
    input's future. Subclasses give submit_node(index, stop) and settle(index, future)."""

    def run(self, stop):
        graph = self.tasks.graph
        outcome = models.Outcome(len(graph), self.return_when, stop)
        self.wake = outcome.wake
        self.outputs = {}
        waiting = [len(inputs) for inputs in graph.inputs]
        lock = threading.Lock()
        futures = []

        def start(index):
            future = self.submit_node(index, stop)
            futures.append((index, future))
            future.add_done_callback(lambda f, i=index: finished(i, f))

        def finished(index, future):
            if future.cancelled():
                return
            outcome.finish(index, self.settle(index, future))
            release(index)

        def release(index):
            stack = [index]
            while stack and not stop.is_set():
                with lock:
                    ready = []
                    for successor in graph.outputs[stack.pop()]:
                        waiting[successor] -= 1
                        if waiting[successor] == 0:
                            ready.append(successor)
                for successor in ready:
                    if not _input_not_ok(graph, successor, outcome):
                        start(successor)
                    elif not stop.is_set():
                        outcome.finish(successor, _skipped(graph, successor, outcome))
                        stack.append(successor)

        for index in range(len(graph)):
            if not graph.inputs[index]:
                start(index)
        if len(graph):
            outcome.wait()
        for index, future in list(futures):
            if not future.cancel() and future.running() and outcome.records[index][0] == "not_run":
                outcome.records[index] = models._record("cancelled", 0, 0, "cancelled")
        return outcome.records, outcome.ended_by, self.usages()


class ThreadPool(_Pool, models.ThreadPool):
    """ThreadPoolExecutor: the tasks' outputs in this interpreter's memory."""

    def submit_node(self, index, stop):
        node = _Node(self.tasks, self.outputs.get, self.outputs)
        return self.executor.submit(models.run_blocking, node, index, stop, self.task_cpu)

    def settle(self, index, future):
        return future.result()


def _node_in_worker(index, received, task_cpu):
    """A process pool worker's graph task: its record, the worker's usage, and its output (None
    unless it finished ok); `received` holds the outputs of its inputs, [[input, bytes], ...]."""
    written = {}
    node = _Node(models._TASKS, dict(received).get, written)
    record = models.run_blocking(node, index, None, task_cpu)
    record[3] = os.getpid()
    return record, models._worker_usage(), written.get(index)


class ProcessPool(_Pool, models.ProcessPool):
    """ProcessPoolExecutor: the data along the edges travels as the calls' arguments and
    results, through the pool's pipes."""

    def submit_node(self, index, stop):
        received = [[source, self.outputs.get(source)] for source in self.tasks.graph.inputs[index]]
        return self.executor.submit(_node_in_worker, index, received, self.task_cpu)

    def settle(self, index, future):
        try:
            record, usage, output = future.result()
        except BaseException as error:  # a worker that died: the task fails with the cause
            return models._record("failed", 0, 0, f"{type(error).__name__}: {error}")
        self.note_usage(*usage)
        if output is not None:
            self.outputs[index] = output
        return record


class EventLoop(models.EventLoop):
    """Each task a coroutine that awaits its inputs' tasks, then runs (--offload as on
    independent tasks)."""

    async def main(self, stop):
        loop = asyncio.get_running_loop()
        graph = self.tasks.graph
        outcome = models.Outcome(len(graph), self.return_when, stop)
        over = asyncio.Event()
        worker = threading.get_native_id()
        outputs = {}
        node = _Node(self.tasks, outputs.get, outputs)

        # Once the run is over, the running tasks are cancelled and the waiting ones return when
        # their inputs do, unrun (cancelling a task that awaits a gather would cancel its inputs
        # in turn, along every path of the graph).
        ending = []
        running = set()

        async def one(index, inputs):
            if inputs:
                await asyncio.gather(*inputs)
            if ending:
                return
            if _input_not_ok(graph, index, outcome):
                record = _skipped(graph, index, outcome)
            else:
                running.add(asyncio.current_task())
                record = await self.timed(node, index, worker)
                running.discard(asyncio.current_task())
            outcome.records[index] = record
            if outcome.over(index):
                over.set()

        self.wake = lambda: loop.call_soon_threadsafe(over.set)
        tasks = []
        for index in range(len(graph)):
            inputs = [tasks[source] for source in graph.inputs[index]]
            tasks.append(loop.create_task(one(index, inputs)))
        if tasks:
            await over.wait()
        ending.append(True)
        for task in list(running):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        closer = getattr(self.tasks, "aclose", None)
        if closer is not None:
            await closer()
        return outcome.records, outcome.ended_by, []

    async def timed(self, node, index, worker):
        """Runs task `index` on this loop and returns its record."""
        start = time.monotonic_ns()
        try:
            answer, status = await node.awaitable(index, self.offload), "ok"
        except asyncio.CancelledError:
            answer, status = "cancelled", "cancelled"
        except BaseException as error:
            answer, status = models.failure(error), "failed"
        record = models._record(status, start, time.monotonic_ns(), answer, worker=worker)
        return models._with_usage(record, self.tasks, index)


class UvLoop(EventLoop):
    """The same on uvloop's event loop."""

    new_loop = models.UvLoop.new_loop


MODELS = {
    "sequential": Sequential,
    "thread": Threads,
    "pool": ThreadPool,
    "process": ProcessPool,
    "asyncio": EventLoop,
    "uvloop": UvLoop,
}


def model_for(name, tasks):
    """The model named `name` for `tasks`: graph.py's when the tasks have a graph."""
    table = MODELS if getattr(tasks, "graph", None) is not None else models.MODELS
    return table[name]
