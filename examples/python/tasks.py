"""Tasks of your own for concbench's pycall workload: each function takes the task's index first.

    concbench run -w pycall --call tasks:count_primes --path examples/python --args 20000 \
        -e py-sequential,py-thread,py-process
    concbench run -w pycall --call tasks:wait --path examples/python --args 0.5 --kind wait \
        -e py-asyncio,py-uvloop
"""

import asyncio
import time


def count_primes(index, below):
    """CPU work: how many primes there are below `below` (the answer is the same for every task)."""
    sieve = bytearray([1]) * below
    sieve[0:2] = b"\0\0"
    for n in range(2, int(below ** 0.5) + 1):
        if sieve[n]:
            sieve[n * n::n] = bytearray(len(range(n * n, below, n)))
    return sum(sieve)


def sleep(index, seconds):
    """Blocking wait, for the thread and process models."""
    time.sleep(seconds)
    return f"slept {seconds}"


async def wait(index, seconds):
    """Awaitable wait, for the event loops."""
    await asyncio.sleep(seconds)
    return f"waited {seconds}"


def fail_odd(index):
    """Fails every odd task: its exception is the task's failure."""
    if index % 2:
        raise ValueError(f"task {index} is odd")
    return "even"


def empty(index):
    """No work: what a model costs per task."""
    return index


async def empty_async(index):
    """No work, on an event loop: what a coroutine costs per task."""
    return index
