#!/usr/bin/python3
"""A swept parameter on the x axis (e.g. run --sweep tasks=10..100000:x10), a metric on the
y axis, a line per engine. The swept parameter is the one whose value differs between the
results of the workload, unless --param names it."""

import argparse
import collections

import concbench_plot as cp

METRICS = {
    "wall": "median wall time",
    "throughput": "throughput (tasks/s)",
    "efficiency": "efficiency (%)",
    "peak_rss": "peak RSS (MiB)",
}


def metric_value(r, metric):
    if metric == "wall":
        return r["median"]
    if metric == "throughput":
        tasks = r.get("parameters", {}).get("tasks")
        if not isinstance(tasks, (int, float)):
            tasks = r["tasks"]["total"] / max(1, len(r.get("times", [1])))
        return tasks / r["median"] if r["median"] > 0 else float("nan")
    if metric == "efficiency":  # null where it cannot be defined (see efficiency_note)
        return float("nan") if r.get("efficiency") is None else 100 * r["efficiency"]
    return r["peak_rss_bytes"] / 2**20


def varying_params(results):
    """Parameter names whose numeric value differs between `results`; the names a sweep
    recorded (a result's "sweep" object) first."""
    swept = [k for r in results for k in (r.get("sweep") or {})]
    values = collections.defaultdict(set)
    for r in results:
        for key, value in r.get("parameters", {}).items():
            number = cp.parse_value(value)
            if number is not None:
                values[key].add(number)
    varying = [k for k, v in values.items() if len(v) > 1]
    return sorted(varying, key=lambda k: (k not in swept, varying.index(k)))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", help="concbench results JSON holding a sweep")
    parser.add_argument("-o", "--output", required=True, help="PNG or SVG file to write")
    parser.add_argument("--metric", choices=sorted(METRICS), default="wall",
                        help="y axis (default: wall)")
    parser.add_argument("--param", help="swept parameter (default: detected)")
    parser.add_argument("--workload", help="workload to plot (default: the first with a sweep)")
    parser.add_argument("--title", help="chart title")
    args = parser.parse_args()

    results = cp.load_results(args.results)
    workloads = list(dict.fromkeys(r["workload"] for r in results))
    if args.workload:
        if args.workload not in workloads:
            cp.fail(f"--workload {args.workload}: not in the file ({', '.join(workloads)})")
        workloads = [args.workload]
    workload, param = None, args.param
    for name in workloads:
        chosen = [r for r in results if r["workload"] == name]
        if args.param:
            if any(args.param in r.get("parameters", {}) for r in chosen):
                workload = name
                break
            continue
        varying = [p for p in varying_params(chosen) if p not in cp.ENGINE_PARAMS] or \
            varying_params(chosen)
        if varying:
            workload, param = name, varying[0]
            break
    if workload is None:
        cp.fail("no workload in the file varies a parameter" if not args.param
                else f"--param {args.param}: no result has it")
    chosen = [r for r in results if r["workload"] == workload and param in r["parameters"]]

    lines = collections.defaultdict(list)
    for r in chosen:
        x = cp.parse_value(r["parameters"][param])
        if x is not None:
            lines[cp.engine_label(r)].append((x, metric_value(r, args.metric)))
    xs = [x for points in lines.values() for x, _ in points]
    ys = [y for points in lines.values() for _, y in points if cp.finite(y)]
    y_scale, y_unit = 1.0, ""
    ylabel = METRICS[args.metric]
    if args.metric == "wall":
        y_scale, y_unit = cp.seconds_unit(max(ys))
        ylabel += f" ({y_unit})"
    is_duration = isinstance(chosen[0]["parameters"][param], str)
    x_scale, x_unit = cp.seconds_unit(max(xs)) if is_duration else (1.0, "")

    fig, ax = cp.new_figure()
    for engine, points in lines.items():
        points.sort()
        ax.plot([x * x_scale for x, _ in points], [y * y_scale for _, y in points], marker="o",
                label=engine, color=cp.engine_color(engine))
    if cp.spans_decades(xs):
        ax.set_xscale("log")
    if args.metric in ("wall", "throughput") and cp.spans_decades(ys):
        ax.set_yscale("log")
    ax.set_xlabel(f"{param} ({x_unit})" if x_unit else f"{param} (count)")
    ax.set_ylabel(ylabel)
    ax.set_title(args.title or f"{workload}: {METRICS[args.metric].split(' (')[0]} against {param}")
    ax.legend(title="engine")
    cp.save(fig, args.output)


if __name__ == "__main__":
    main()
