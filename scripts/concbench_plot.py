"""Shared helpers of the plot_*.py scripts: JSON loading, engine colours, figure saving.

Every chart gives each engine the same colour, so charts can be read side by side. Importing
this module needs only the standard library: matplotlib is imported by pyplot() (through
require()), so a Python without it gets a message naming the Debian package, not a traceback.
"""

import importlib
import json
import math
import os
import sys

# Debian packages of the modules the scripts need (matplotlib's own dependencies included, as
# importing matplotlib names the first one missing); other modules map to python3-<name>.
DEBIAN_PACKAGES = {
    "matplotlib": "python3-matplotlib",
    "numpy": "python3-numpy",
    "scipy": "python3-scipy",
    "PIL": "python3-pil",
    "dateutil": "python3-dateutil",
    "fontTools": "python3-fonttools",
}


def require(module):
    """Imports `module` (a dotted name) and returns it, or exits 2 naming the missing module and
    the Debian package that provides it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        missing = (e.name or module).split(".")[0]
        package = DEBIAN_PACKAGES.get(missing, f"python3-{missing.lower()}")
        hint = "" if sys.executable == "/usr/bin/python3" else \
            f", and run the script with /usr/bin/python3 (this is {sys.executable})"
        fail(f"needs the Python module {missing}, which is not installed: install Debian's "
             f"{package} (apt-get install {package}, or scripts/install-deps){hint}")


_pyplot = None


def pyplot():
    """matplotlib.pyplot on the Agg backend (files only, no display), imported on first use."""
    global _pyplot
    if _pyplot is None:
        require("matplotlib").use("Agg")
        _pyplot = require("matplotlib.pyplot")
    return _pyplot


# Fixed engine -> colour map (matplotlib's tab10 hues); other names take the next spare colour.
ENGINE_COLORS = {
    "sequential": "#7f7f7f",
    "thread": "#d62728",
    "pool": "#1f77b4",
    "process": "#2ca02c",
    "asio": "#ff7f0e",
}
_SPARE_COLORS = ["#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"]
_assigned = {}


def engine_color(name):
    """The colour of engine `name` (a label such as "asio --offload" takes its engine's)."""
    base = name.split()[0] if name else name
    if base in ENGINE_COLORS:
        return ENGINE_COLORS[base]
    if base not in _assigned:
        _assigned[base] = _SPARE_COLORS[len(_assigned) % len(_SPARE_COLORS)]
    return _assigned[base]


def fail(message):
    """Prints `message` and exits with status 2 (bad input), like concbench itself."""
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr)
    sys.exit(2)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        fail(f"{path}: not JSON ({e})")


def load_results(path):
    """The "results" list of a concbench results file (schema concbench/1)."""
    doc = load_json(path)
    if not isinstance(doc, dict) or "results" not in doc:
        fail(f"{path}: not a concbench results file (no \"results\")")
    if not doc["results"]:
        fail(f"{path}: holds no results")
    return doc["results"]


def settings(result):
    """Every parameter of a result (workload's and engine's, swept or not): its "settings"
    object, or in files written before "settings" existed, its "parameters"."""
    values = result.get("settings")
    if not isinstance(values, dict):
        values = result.get("parameters")
    return values if isinstance(values, dict) else {}


def engine_label(result):
    """"asio --offload" for an offloading asio result, else the engine's name."""
    params = settings(result)
    if result["engine"] == "asio" and params.get("offload"):
        return "asio --offload"
    return result["engine"]


def value_text(value):
    """A parameter's value as short text: lists joined by commas, shortened past 24 characters."""
    if isinstance(value, list):
        text = ",".join(str(v) for v in value)
        return text if len(text) <= 24 else text[:23] + "…"
    return str(value)


def varying_settings(results):
    """The parameters whose values differ between `results`, the swept ones (a result's
    "sweep") first, each group in the order the results hold them. The engines' own (workers,
    offload, the interpreter, ...) count only when swept: otherwise they differ between engines
    by nature."""
    swept = {k for r in results for k in (r.get("sweep") or {})}
    names = list(dict.fromkeys(k for r in results for k in settings(r)
                               if k not in engine_settings(r) or k in swept))
    varying = [k for k in names
               if len({json.dumps(settings(r).get(k), sort_keys=True) for r in results}) > 1]
    return sorted(varying, key=lambda k: k not in swept)


# The engines' own settings in files written before results named them ("engine_settings").
ENGINE_PARAMS = {"workers", "offload", "stack_size_bytes", "python", "version", "implementation",
                 "gil_enabled"}


def engine_settings(result):
    """The names of a result's engine settings: they differ between engines (a thread's stack,
    the Python engines' interpreter) by nature, not between the points compared."""
    named = result.get("engine_settings")
    return set(named) if isinstance(named, dict) else ENGINE_PARAMS


def median_interval(result):
    """(low, high) of the median's 95% confidence interval, or min/max when not recorded."""
    ci = result.get("median_ci")
    if isinstance(ci, list) and len(ci) == 2 and all(isinstance(v, (int, float)) for v in ci):
        return ci[0], ci[1]
    return result.get("min", result["median"]), result.get("max", result["median"])


def parse_value(value):
    """A parameter value as a number: integers as is, durations ("150ms", "2us") in seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        for unit, scale in (("us", 1e-6), ("ms", 1e-3), ("s", 1.0)):
            if value.endswith(unit):
                try:
                    return float(value[: -len(unit)]) * scale
                except ValueError:
                    return None
    return None


def seconds_unit(max_seconds):
    """(scale, unit) to show seconds up to `max_seconds` readably."""
    if max_seconds >= 1:
        return 1.0, "s"
    if max_seconds >= 1e-3:
        return 1e3, "ms"
    return 1e6, "µs"


def duration_text(seconds):
    """`seconds` in words with a readable unit: "1 ms", "336 µs", "2.5 s"."""
    scale, unit = seconds_unit(seconds)
    return f"{seconds * scale:.3g} {unit}"


def spans_decades(values):
    positive = [v for v in values if v > 0]
    return len(positive) >= 2 and max(positive) / min(positive) >= 10


def new_figure(width=9, height=5):
    fig, ax = pyplot().subplots(figsize=(width, height), layout="constrained")
    ax.grid(True, which="major", alpha=0.3)
    return fig, ax


def log_scale(ax, axis="y"):
    """A logarithmic `axis` ("x" or "y") ticked at 1, 2 and 5 of each decade in plain numbers,
    so that a range of less than two decades still shows several labels."""
    ticker = require("matplotlib.ticker")
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    target.set_minor_formatter(ticker.NullFormatter())


def save(fig, path):
    """Writes the figure as PNG or SVG, by the extension of `path`."""
    if not path.lower().endswith((".png", ".svg")):
        fail(f"-o {path}: name a .png or .svg file")
    try:
        fig.savefig(path, dpi=120)
    except OSError as e:
        fail(f"-o {path}: {e.strerror}")
    pyplot().close(fig)
    print(path)


def finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x)
