#!/usr/bin/python3
"""A swept parameter on the x axis (e.g. run --sweep tasks=10..100000:x10), a metric on the
y axis, a line per engine (per engine and value of the other parameters in a grid of sweeps).
The parameter is the first one the results were swept over, unless --param names one whose
value differs between them; a file with no sweep is refused (exit 2). With --metric wall, the
complexity fitted over that parameter (the file's "complexity" list, `concbench run
--complexity`) is drawn as a dotted curve over each engine's points, its order in the legend."""

import argparse
import collections
import math

import concbench_plot as cp

METRICS = {
    "wall": "median wall time",
    "throughput": "throughput (tasks/s)",
    "efficiency": "efficiency (%)",
    "peak_rss": "peak RSS (MiB)",
}


# The orders of a results file's "complexity" fits: f(N), and the factor the table writes.
ORDERS = {
    "1": (lambda n: 1.0, ""),
    "logN": (math.log2, "·log N"),
    "N": (lambda n: n, "·N"),
    "NlogN": (lambda n: n * math.log2(n), "·N log N"),
    "N2": (lambda n: n * n, "·N²"),
    "N3": (lambda n: n ** 3, "·N³"),
}


def fits_of(doc, workload, param):
    """The file's complexity fits of `workload` over `param` whose order is known."""
    fits = doc.get("complexity") if isinstance(doc, dict) else None
    return [f for f in fits or [] if isinstance(f, dict) and f.get("workload") == workload
            and f.get("parameter") == param and f.get("order") in ORDERS
            and cp.finite(f.get("coefficient_s")) and f.get("points")]


def draw_fit(ax, fit, x_scale, y_scale, log_x):
    """The fitted curve coefficient × f(N) over the fit's range of N, dotted, in its engine's
    colour; its label says the coefficient and the order."""
    ns = [p[0] for p in fit["points"] if p[0] > 0]
    if not ns:
        return
    low, high = min(ns), max(ns)
    steps = 60
    if log_x and low > 0:
        xs = [low * (high / low) ** (i / steps) for i in range(steps + 1)]
    else:
        xs = [low + (high - low) * i / steps for i in range(steps + 1)]
    curve, factor = ORDERS[fit["order"]]
    ys = [fit["coefficient_s"] * curve(x) for x in xs]
    others = "".join(f", {k}={cp.value_text(v)}" for k, v in (fit.get("others") or {}).items())
    label = (f"{fit['engine']}{others}: {cp.duration_text(fit['coefficient_s'])}{factor} "
             f"({fit.get('big_o', fit['order'])}), RMS {100 * fit.get('rms', 0):.0f} %")
    ax.plot([x * x_scale for x in xs], [y * y_scale for y in ys], linestyle=":", linewidth=1.5,
            color=cp.engine_color(fit["engine"]), label=label)


def metric_value(r, metric):
    if metric == "wall":
        return r["median"]
    if metric == "throughput":
        tasks = cp.settings(r).get("tasks")
        if not isinstance(tasks, (int, float)):
            tasks = r["tasks"]["total"] / max(1, len(r.get("times", [1])))
        return tasks / r["median"] if r["median"] > 0 else float("nan")
    if metric == "efficiency":  # null where it cannot be defined (see efficiency_note)
        return float("nan") if r.get("efficiency") is None else 100 * r["efficiency"]
    return r["peak_rss_bytes"] / 2**20


def numbers(results, name):
    """The distinct numeric values of parameter `name` in `results`."""
    values = (cp.parse_value(cp.settings(r).get(name)) for r in results)
    return {v for v in values if v is not None}


def swept_names(results):
    """The names a sweep recorded (a result's "sweep" object) whose numeric value varies."""
    names = dict.fromkeys(k for r in results for k in (r.get("sweep") or {}))
    return [k for k in names if len(numbers(results, k)) > 1]


def choose(results, args):
    """(workload, parameter) to plot: the first workload with a numeric sweep (or with
    --param varying); exits 2 saying what is needed when there is none."""
    workloads = list(dict.fromkeys(r["workload"] for r in results))
    if args.workload:
        if args.workload not in workloads:
            cp.fail(f"--workload {args.workload}: not in the file ({', '.join(workloads)})")
        workloads = [args.workload]
    for name in workloads:
        chosen = [r for r in results if r["workload"] == name]
        if args.param and len(numbers(chosen, args.param)) > 1:
            return name, args.param
        if not args.param and swept_names(chosen):  # in a grid, the one with most values
            return name, max(swept_names(chosen), key=lambda k: len(numbers(chosen, k)))
    where = f" of workload {args.workload}" if args.workload else ""
    if args.param:
        cp.fail(f"--param {args.param}: no results{where} differ in it; plot_scaling needs "
                f"results at several numeric values of it, as `concbench run --sweep "
                f"{args.param}=SPEC --json FILE` writes")
    cp.fail(f"{args.results}: no sweep{where}; plot_scaling needs a --sweep result file "
            f"(`concbench run --sweep NAME=SPEC --json FILE`, e.g. --sweep "
            f"tasks=10..10000:x10), or --param NAME naming a parameter whose value differs "
            f"between the results")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", help="concbench results JSON holding a sweep")
    parser.add_argument("-o", "--output", required=True, help="PNG or SVG file to write")
    parser.add_argument("--metric", choices=sorted(METRICS), default="wall",
                        help="y axis (default: wall)")
    parser.add_argument("--param", help="parameter on the x axis (default: the swept one; in a "
                        "grid, the one swept over the most values)")
    parser.add_argument("--workload", help="workload to plot (default: the first with a sweep)")
    parser.add_argument("--title", help="chart title")
    parser.add_argument("--no-fit", action="store_true",
                        help="leave out the fitted complexity curves (drawn with --metric wall)")
    args = parser.parse_args()
    cp.pyplot()

    results = cp.load_results(args.results)
    doc = {} if args.no_fit or args.metric != "wall" else cp.load_json(args.results)
    workload, param = choose(results, args)
    chosen = [r for r in results if r["workload"] == workload
              and cp.parse_value(cp.settings(r).get(param)) is not None]
    # In a grid (several --sweep), a line per engine and value of the other swept parameters.
    others = [k for k in swept_names(chosen) if k != param]
    lines = collections.defaultdict(list)
    for r in chosen:
        values = cp.settings(r)
        label = ", ".join([cp.engine_label(r)] + [f"{k}={cp.value_text(values.get(k))}"
                                                  for k in others])
        lines[(cp.engine_label(r), label)].append(
            (cp.parse_value(values[param]), metric_value(r, args.metric)))
    xs = [x for points in lines.values() for x, _ in points]
    ys = [y for points in lines.values() for _, y in points if cp.finite(y)]
    if not ys:
        cp.fail(f"--metric {args.metric}: no result of {workload} has it")
    y_scale, y_unit = 1.0, ""
    ylabel = METRICS[args.metric]
    if args.metric == "wall":
        y_scale, y_unit = cp.seconds_unit(max(ys))
        ylabel += f" ({y_unit})"
    is_duration = isinstance(cp.settings(chosen[0])[param], str)
    x_scale, x_unit = cp.seconds_unit(max(xs)) if is_duration else (1.0, "")

    fig, ax = cp.new_figure()
    styles = {}
    for (engine, label), points in lines.items():
        points.sort()
        rest = label[len(engine):]
        n = styles.setdefault(rest, len(styles))
        ax.plot([x * x_scale for x, _ in points], [y * y_scale for _, y in points],
                marker="osD^v<>p"[n % 8], linestyle=("-", "--", ":", "-.")[n % 4], label=label,
                color=cp.engine_color(engine))
    for fit in fits_of(doc, workload, param):
        draw_fit(ax, fit, x_scale, y_scale, cp.spans_decades(xs))
    if cp.spans_decades(xs):
        cp.log_scale(ax, "x")
    elif not is_duration:  # a count: whole numbers only
        ax.xaxis.set_major_locator(cp.require("matplotlib.ticker").MaxNLocator(integer=True))
    if args.metric in ("wall", "throughput") and cp.spans_decades(ys):
        cp.log_scale(ax, "y")
    ax.set_xlabel(f"{param} ({x_unit})" if x_unit else f"{param} (count)")
    ax.set_ylabel(ylabel)
    ax.set_title(args.title or f"{workload}: {METRICS[args.metric].split(' (')[0]} against {param}")
    title = ", ".join(["engine"] + others)
    if len(lines) > 6:
        ax.legend(title=title, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    else:
        ax.legend(title=title)
    cp.save(fig, args.output)


if __name__ == "__main__":
    main()
