"""The harness's side of a Python engine: one measured run in this interpreter.

Protocol (one JSON object a line; the harness writes to standard input, this process answers
on the descriptor that was its standard output; the user's code prints to /dev/null):
  harness: {"model", "workers", "offload", "return_when", "task_cpu", "form"}
  runner:  {"ready": {"python", "version", "implementation", "gil_enabled"}, "usage": [user,
           system, peak_bytes]} once the tasks are made and the executor is up (the harness
           starts its clock after this), or {"error": "why"} and exit status 2 (a module that
           does not import, an async def on a thread model, no uvloop, a Python before 3.9)
  A request with "probe" is answered {"ready": {...}} alone; one with "check" is answered
  {"ok": true} (or the error) once the tasks are made, without running them.
  harness: "go"  (or end of input: nothing runs)
  harness: "stop" at any time while the tasks run: cancel what can be cancelled, then answer
  runner:  {"records": [...], "ended_by": "", "workers": [[pid, user, system, peak_bytes]],
            "usage": [user, system, peak_bytes], "state": what the tasks shared (a form's
            state(), e.g. {"counter": 1}) or null}, then shuts its executor down and exits 0.
"""

import json
import os
import platform
import resource
import sys
import threading

from concbench_python import graph_models, models, tasks as forms


def _interpreter():
    gil = getattr(sys, "_is_gil_enabled", None)
    return {
        "python": sys.executable,
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil_enabled": gil() if gil is not None else True,
    }


def _usage():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return [usage.ru_utime, usage.ru_stime, usage.ru_maxrss * 1024]


def _check(request, tasks):
    """Why `tasks` cannot run on the requested model, or ""."""
    model = request["model"]
    is_async = getattr(tasks, "is_async", None)
    if is_async is True and model not in models.ASYNC_MODELS:
        return (f"--call: {tasks.name} is an async def; it runs on py-asyncio and "
                f"py-uvloop, not py-{model}")
    if is_async is False and model in models.ASYNC_MODELS:
        return (f"--call: {tasks.name} is a plain function; py-{model} runs an async def "
                f"(a plain function runs on py-sequential, py-thread, py-pool, py-process)")
    refuses = getattr(tasks, "refuses", None)
    if refuses is not None and refuses(model):
        return refuses(model)
    if model == "uvloop":
        try:
            import uvloop  # noqa: F401
        except ImportError:
            return "py-uvloop: this interpreter has no uvloop (Debian: apt-get install python3-uvloop)"
    return ""


def main():
    out = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # what the user's code prints does not reach the protocol
    os.close(devnull)

    def reply(message):
        out.write(json.dumps(message) + "\n")
        out.flush()

    request = json.loads(sys.stdin.readline())
    if sys.version_info < (3, 9):
        reply({"error": f"Python {platform.python_version()} is too old: the Python engines "
                        "need 3.9 or newer"})
        return 2
    if request.get("probe"):
        reply({"ready": _interpreter()})
        return 0
    try:
        tasks = forms.make(request["form"])
    except forms.FormError as error:
        reply({"error": str(error)})
        return 2
    why = _check(request, tasks)
    if why:
        reply({"error": why})
        return 2
    if request.get("check"):
        reply({"ok": True})
        return 0
    model = graph_models.model_for(request["model"], tasks)(tasks, request)
    model.prepare()
    reply({"ready": _interpreter(), "usage": _usage()})
    if sys.stdin.readline().strip() != "go":
        model.close()
        return 0
    stop = threading.Event()

    def watch():
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        stop.set()  # "stop", or the harness went away
        wake = getattr(model, "wake", None)
        if wake is not None:
            try:
                wake()
            except RuntimeError:  # the loop closed: the run is already over
                pass

    threading.Thread(target=watch, daemon=True).start()
    records, ended_by, workers = model.run(stop)
    state = tasks.state() if hasattr(tasks, "state") else None
    reply({"records": records, "ended_by": ended_by, "workers": workers, "usage": _usage(),
           "state": state})
    model.close()
    out.close()
    os._exit(0)  # threads stuck in a task's CPU work do not hold the interpreter


if __name__ == "__main__":
    sys.exit(main())
