#!/usr/bin/python3
"""A Gantt chart of one run: a lane per worker, a bar per task, from a concbench results file
(its "timeline") or a trace file (run --trace). Failed and cancelled tasks are hatched. Workers
are numbered 0, 1, 2 ... in the order of their first task. When the bars would be too many to
see (more than 300 workers, tasks stacked more than 64 deep on a worker, or more than 400 tasks
a row), it draws the density instead: the tasks in flight over time, in all and per worker."""

import argparse
import math

import concbench_plot as cp


def spans_from_results(path, args):
    results = cp.load_results(path)
    index = select(results, args, lambda r: (r["workload"], r["engine"]))
    r = results[index]
    if not r.get("timeline"):
        cp.fail(f"{path}: result {index} has no timeline (more than 10000 tasks? use --trace)")
    spans = [(t[0], t[1], t[2], t[3], t[4]) for t in r["timeline"] if t[4] != "not_run"]
    return r["workload"], cp.engine_label(r), spans


def spans_from_trace(path, args):
    doc = cp.load_json(path)
    names = {e["pid"]: e["args"]["name"] for e in doc["traceEvents"]
             if e.get("ph") == "M" and e.get("name") == "process_name"}
    pids = sorted(names)
    runs = [run_of(names[p]) for p in pids]
    if not runs:
        cp.fail(f"{path}: the trace names no runs")
    pid = pids[select(runs, args, lambda run: run)]
    # Each event's worker is in its args; its tid is a lane of that worker (older traces: the
    # worker itself).
    spans = [(e["args"]["task"], e["ts"] / 1e6, (e["ts"] + e["dur"]) / 1e6,
              e["args"].get("worker", e["tid"]), e["args"].get("status", "ok"))
             for e in doc["traceEvents"] if e.get("ph") == "X" and e["pid"] == pid]
    workload, engine = runs[pids.index(pid)]
    return workload, engine, spans


def run_of(process_name):
    """(workload, engine) of a trace's process name: "[RUN: ]WORKLOAD on ENGINE[ (k=v, ...)]"."""
    text = process_name.split(" (", 1)[0]
    workload, _, engine = text.partition(" on ")
    return workload.rsplit(": ", 1)[-1], engine


def select(items, args, key):
    """The index chosen by --result, or the first matching --workload/--engine."""
    if args.result is not None:
        if not 0 <= args.result < len(items):
            cp.fail(f"--result {args.result}: the file holds {len(items)} runs (0..{len(items) - 1})")
        return args.result
    for i, item in enumerate(items):
        workload, engine = key(item)
        if (args.workload in (None, workload)) and (args.engine in (None, engine)):
            return i
    cp.fail(f"no run of workload {args.workload or 'any'} on engine {args.engine or 'any'}")


MAX_SUBROWS = 64


def pack(spans):
    """Assigns each span a sub-row of its worker's lane so that overlapping spans do not hide
    each other (up to MAX_SUBROWS per lane, then they share). Returns (slot per span, sub-rows
    per worker)."""
    slot_of = [0] * len(spans)
    ends = {}  # worker -> end time of each sub-row
    for i in sorted(range(len(spans)), key=lambda i: spans[i][1]):
        _, start, end, worker, _ = spans[i]
        rows = ends.setdefault(worker, [])
        free = next((r for r, row_end in enumerate(rows) if row_end <= start), None)
        if free is None:
            if len(rows) < MAX_SUBROWS:
                rows.append(end)
                free = len(rows) - 1
            else:
                free = min(range(len(rows)), key=rows.__getitem__)
        rows[free] = max(rows[free], end)
        slot_of[i] = free
    return slot_of, {w: len(rows) for w, rows in ends.items()}


MAX_GANTT_LANES = 300  # more lanes than this are thinner than a pixel on a 12-inch chart
MAX_TASKS_PER_ROW = 400  # more tasks than this in a row are bars about 2 pixels wide
MAX_DENSITY_ROWS = 200  # above this many workers the density rows are bands of workers
TIME_BINS = 400


def density_reason(spans, lanes, slots):
    """Why a Gantt chart of `spans` would not be readable, or None when it would be."""
    if lanes > MAX_GANTT_LANES:
        return f"{lanes} workers"
    if max(slots.values()) >= MAX_SUBROWS:
        return f"more than {MAX_SUBROWS - 1} tasks at once on a worker"
    if len(spans) > MAX_TASKS_PER_ROW * sum(slots.values()):
        return f"{len(spans)} tasks in {sum(slots.values())} rows"
    return None


def draw_gantt(ax, spans, lane, color):
    """A bar per task in its worker's lane; overlapping tasks on one worker in sub-rows."""
    slot_of, slots = pack(spans)
    scale, _ = cp.seconds_unit(max(end for _, _, end, _, _ in spans))
    for status, hatch in (("ok", None), ("failed", "xx"), ("cancelled", "//")):
        rows = {}
        for i, (_, start, end, worker, s) in enumerate(spans):
            if s == status:
                rows.setdefault((lane[worker], slot_of[i], slots[worker]), []).append(
                    (start * scale, max((end - start) * scale, 1e-9)))
        for (y, slot, count), bars in rows.items():
            height = 0.8 / count
            ax.broken_barh(bars, (y - 0.4 + slot * height, height),
                           facecolors=color if hatch is None else "white",
                           edgecolors=color if hatch else "white", linewidth=0.5, hatch=hatch)
    lanes = len(lane)
    if lanes <= 40:
        ax.set_yticks(range(lanes), [str(i) for i in range(lanes)])
    else:
        ax.yaxis.set_major_locator(cp.require("matplotlib.ticker").MaxNLocator(integer=True))
    ax.set_ylim(-0.6, lanes - 0.4)
    ax.invert_yaxis()
    ax.set_ylabel(f"worker (by first task), {lanes} lanes")


def in_flight(spans, edges, rows, row_of):
    """The mean number of tasks in flight between consecutive `edges` (seconds), per row: a
    (rows, len(edges) - 1) array. A task adds the share of each bin it covers."""
    np = cp.require("numpy")
    edges = np.asarray(edges)
    busy = np.zeros((rows, len(edges)))  # busy time from edges[0] up to each edge
    for first in range(0, len(spans), 4096):
        chunk = spans[first:first + 4096]
        starts = np.array([s[1] for s in chunk])[:, None]
        lengths = np.array([max(0.0, s[2] - s[1]) for s in chunk])[:, None]
        covered = np.clip(edges[None, :] - starts, 0.0, lengths)
        np.add.at(busy, np.array([row_of[s[3]] for s in chunk]), covered)
    return np.diff(busy, axis=1) / np.diff(edges)[None, :]


def draw_density(fig, spans, lane, color, unit_scale, reason):
    """Above: the tasks in flight over time, in all. Below: a row per worker (a band of workers
    when there are many), coloured by its mean number of tasks in flight in each time bin."""
    np = cp.require("numpy")
    colors = cp.require("matplotlib.colors")
    top, ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2 if len(lane) > 4 else 1])
    end_time = max(end for _, _, end, _, _ in spans)
    events = sorted([(s[1], 1) for s in spans] + [(s[2], -1) for s in spans])
    times = [0.0] + [t * unit_scale for t, _ in events]
    counts = [0] + list(np.cumsum([d for _, d in events]))
    top.step(times, counts, where="post", color=color, linewidth=1)
    top.fill_between(times, counts, step="post", color=color, alpha=0.3)
    top.set_ylim(bottom=0)
    top.yaxis.set_major_locator(cp.require("matplotlib.ticker").MaxNLocator(integer=True))
    top.set_ylabel("tasks in flight\n(all workers)")
    top.grid(True, alpha=0.3)

    workers = len(lane)
    band = math.ceil(workers / MAX_DENSITY_ROWS)
    rows = math.ceil(workers / band)
    row_of = {w: i // band for w, i in lane.items()}
    edges = np.linspace(0.0, end_time, TIME_BINS + 1)
    density = in_flight(spans, edges, rows, row_of)
    sizes = np.array([min(band, workers - r * band) for r in range(rows)])[:, None]
    density = density / sizes  # mean per worker of the band
    cmap = colors.LinearSegmentedColormap.from_list("in_flight", ["white", color])
    image = ax.imshow(density, aspect="auto", interpolation="nearest", cmap=cmap, vmin=0,
                      extent=(0.0, end_time * unit_scale, rows * band - 0.5, -0.5))
    per = "per worker" if band == 1 else f"per worker (mean of {band} workers a row)"
    fig.colorbar(image, ax=ax, label=f"tasks in flight {per}", pad=0.01)
    ax.set_ylabel(f"worker (by first task), {workers} in all")
    if workers <= 40:
        ax.set_yticks(range(workers))
    else:
        ax.yaxis.set_major_locator(cp.require("matplotlib.ticker").MaxNLocator(integer=True))
    ax.text(1.0, 1.01, f"density view: {reason}", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=8, color="dimgray")
    return top, ax


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", help="concbench results JSON (run --json) or trace (run --trace)")
    parser.add_argument("-o", "--output", required=True, help="PNG or SVG file to write")
    parser.add_argument("--result", type=int, help="index of the run in the file (from 0)")
    parser.add_argument("--engine", help="the first run on this engine")
    parser.add_argument("--workload", help="the first run of this workload")
    parser.add_argument("--view", choices=("auto", "gantt", "density"), default="auto",
                        help="a bar per task (gantt), tasks in flight over time (density), or "
                        "the density when the bars would be too many to see (auto, the default)")
    parser.add_argument("--title", help="chart title")
    args = parser.parse_args()
    cp.pyplot()

    doc = cp.load_json(args.input)
    if isinstance(doc, dict) and "traceEvents" in doc:
        workload, engine, spans = spans_from_trace(args.input, args)
    else:
        workload, engine, spans = spans_from_results(args.input, args)
    if not spans:
        cp.fail("the chosen run has no started tasks")

    # Workers numbered in the order of their first task.
    first_start = {}
    for _, start, _, worker, _ in spans:
        first_start[worker] = min(start, first_start.get(worker, start))
    lane = {w: i for i, w in enumerate(sorted(first_start, key=first_start.get))}
    scale, unit = cp.seconds_unit(max(end for _, _, end, _, _ in spans))
    color = cp.engine_color(engine)
    statuses = {}
    for *_, s in spans:
        statuses[s] = statuses.get(s, 0) + 1

    reason = None
    if args.view == "density":
        reason = "chosen with --view density"
    elif args.view == "auto":
        reason = density_reason(spans, len(lane), pack(spans)[1])
    title = args.title or (f"{workload} on {engine}: {len(spans)} tasks"
                           + "".join(f", {n} {s}" for s, n in statuses.items() if s != "ok"))
    if reason:
        fig = cp.pyplot().figure(figsize=(10, 7), layout="constrained")
        top, ax = draw_density(fig, spans, lane, color, scale, reason)
        top.set_title(title)
        ax.set_xlabel(f"time since the run's start ({unit})")
        cp.save(fig, args.output)
        return

    fig, ax = cp.new_figure(10, max(3, min(12, 1 + 0.35 * len(lane))))
    draw_gantt(ax, spans, lane, color)
    ax.set_xlabel(f"time since the run's start ({unit})")
    ax.set_title(title)
    Patch = cp.require("matplotlib.patches").Patch
    handles = [Patch(facecolor=color, edgecolor="black", label=f"{engine}: task ok")]
    if "failed" in statuses:
        handles.append(Patch(facecolor="white", edgecolor=color, hatch="xx", label="failed"))
    if "cancelled" in statuses:
        handles.append(Patch(facecolor="white", edgecolor=color, hatch="//", label="cancelled"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    cp.save(fig, args.output)


if __name__ == "__main__":
    main()
