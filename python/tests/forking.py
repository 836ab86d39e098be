"""Prepares a model for a test, first waiting for the threads earlier tests left running (a
stopped model's tasks, an executor's workers) when the model forks: a fork while another thread
holds a lock leaves the child stuck on it, and a pool's warm-up then waits for it for ever. The
harness's interpreter runs one model and has no such threads; a test process has many."""

import threading
import time

from concbench_python import models


def quiet_threads(timeout=10.0):
    """Joins every thread but the main one, for at most `timeout` seconds in all."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))


def prepare(engine):
    """engine.prepare(), after quiet_threads() for a model whose workers are forked."""
    if isinstance(engine, models.ProcessPool):
        quiet_threads()
    engine.prepare()
