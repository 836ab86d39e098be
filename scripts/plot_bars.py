#!/usr/bin/python3
"""Median wall time of each engine on each workload, with the median's 95% confidence interval
as error bars (min and max when the results carry no interval)."""

import argparse

import concbench_plot as cp


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", help="concbench results JSON (run --json)")
    parser.add_argument("-o", "--output", required=True, help="PNG or SVG file to write")
    parser.add_argument("--log", action="store_true", help="logarithmic time axis")
    parser.add_argument("--title", help="chart title")
    args = parser.parse_args()

    cp.pyplot()
    results = cp.load_results(args.results)
    workloads = list(dict.fromkeys(r["workload"] for r in results))
    varying = {w: cp.varying_settings([r for r in results if r["workload"] == w])
               for w in workloads}
    groups = []  # (workload, ((parameter, value), ...)), in first-seen order
    engines = []
    cells = {}
    for r in results:
        values = cp.settings(r)
        group = (r["workload"], tuple((k, cp.value_text(values[k]))
                                      for k in varying[r["workload"]] if k in values))
        engine = cp.engine_label(r)
        if group not in groups:
            groups.append(group)
        if engine not in engines:
            engines.append(engine)
        cells[(group, engine)] = r

    longest = max(r["median"] for r in results)
    scale, unit = cp.seconds_unit(longest)
    width_in = max(6, min(20, 0.3 * len(groups) * len(engines) + 3))
    fig, ax = cp.new_figure(width_in, 5)
    width = 0.8 / len(engines)
    for i, engine in enumerate(engines):
        xs, heights, lows, highs = [], [], [], []
        for g, group in enumerate(groups):
            r = cells.get((group, engine))
            if r is None:
                continue
            low, high = cp.median_interval(r)
            xs.append(g + (i - (len(engines) - 1) / 2) * width)
            heights.append(r["median"] * scale)
            lows.append(max(0.0, (r["median"] - low) * scale))
            highs.append(max(0.0, (high - r["median"]) * scale))
        ax.bar(xs, heights, width, yerr=[lows, highs], capsize=3, label=engine,
               color=cp.engine_color(engine))
    labels, xlabel = group_labels(groups, workloads, varying)
    # Labels wider than their group's share of the axis (about 0.07 in a character) are
    # written on one line and slanted, so that neighbours do not overlap.
    widest = max(len(line) for label in labels for line in label.split("\n"))
    if widest * 0.07 > 0.9 * (width_in - 2) / len(groups):
        ax.set_xticks(range(len(groups)), [label.replace("\n", ", ") for label in labels],
                      rotation=30, ha="right", rotation_mode="anchor", fontsize=9)
    else:
        ax.set_xticks(range(len(groups)), labels, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"median wall time ({unit})")
    if args.log:
        cp.log_scale(ax, "y")
    has_ci = any("median_ci" in r for r in results)
    ax.set_title(args.title or "Median wall time per engine"
                 + (" (95% CI of the median)" if has_ci else " (bars: min to max)"))
    ax.legend(title="engine")
    cp.save(fig, args.output)


def group_labels(groups, workloads, varying):
    """The tick labels of `groups` and the axis label. One workload with parameters that vary
    (a sweep): the values alone, under an axis named after the parameters; else the workload
    with a line per parameter that varies between its results."""
    if len(workloads) == 1 and varying[workloads[0]]:
        names = varying[workloads[0]]
        if len(names) == 1:
            return [values[0][1] if values else "—" for _, values in groups], \
                f"{workloads[0]}: {names[0]}"
        labels = ["\n".join(f"{k}={v}" for k, v in values) for _, values in groups]
        return labels, f"{workloads[0]}: {', '.join(names)}"
    labels = ["\n".join([w] + [f"{k}={v}" for k, v in values]) for w, values in groups]
    return labels, "workload"


if __name__ == "__main__":
    main()
