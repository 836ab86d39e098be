#!/usr/bin/python3
"""Baseline against new: the median wall time of every (workload, engine, parameters) found in
either results file, side by side, with the median's 95% confidence interval (min to max when
absent). The baseline bar is hatched and paler; both take the engine's colour."""

import argparse
import json

import concbench_plot as cp


def key(r):
    return (r["workload"], cp.engine_label(r), json.dumps(cp.settings(r), sort_keys=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("baseline", help="concbench results JSON: the baseline")
    parser.add_argument("new", help="concbench results JSON: the new measurement")
    parser.add_argument("-o", "--output", required=True, help="PNG or SVG file to write")
    parser.add_argument("--log", action="store_true", help="logarithmic time axis")
    parser.add_argument("--title", help="chart title")
    args = parser.parse_args()

    cp.pyplot()
    files = {"baseline": cp.load_results(args.baseline), "new": cp.load_results(args.new)}
    keys = []
    for results in files.values():
        for r in results:
            if key(r) not in keys:
                keys.append(key(r))
    cells = {(name, key(r)): r for name, results in files.items() for r in results}
    longest = max(r["median"] for results in files.values() for r in results)
    scale, unit = cp.seconds_unit(longest)

    fig, ax = cp.new_figure(max(7, min(20, 0.9 * len(keys) + 3)), 5.5)
    width = 0.38
    for side, (name, path) in enumerate((("baseline", args.baseline), ("new", args.new))):
        for i, k in enumerate(keys):
            r = cells.get((name, k))
            if r is None:
                continue
            low, high = cp.median_interval(r)
            ax.bar(i + (side - 0.5) * width, r["median"] * scale, width,
                   yerr=[[max(0.0, (r["median"] - low) * scale)],
                         [max(0.0, (high - r["median"]) * scale)]],
                   capsize=3, color=cp.engine_color(k[1]), alpha=0.45 if side == 0 else 1.0,
                   hatch="//" if side == 0 else None, edgecolor="black", linewidth=0.5)
    labels = []
    for workload, engine, params in keys:
        same = [json.loads(k[2]) for k in keys if k[0] == workload and k[1] == engine]
        varying = {name for p in same for name in p if any(q.get(name) != p[name] for q in same)}
        shown = params_text(params, varying)
        labels.append(f"{workload}\n{engine}" + (f"\n{shown}" if shown else ""))
    if len(keys) > 12:  # one slanted line each, so that neighbours do not overlap
        ax.set_xticks(range(len(keys)), [label.replace("\n", ", ") for label in labels],
                      fontsize=8, rotation=40, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(range(len(keys)), labels, fontsize=8)
    ax.set_xlim(-0.6, len(keys) - 0.4)
    ax.set_xlabel("workload, engine")
    ax.set_ylabel(f"median wall time ({unit})")
    if args.log:
        cp.log_scale(ax, "y")
    Patch = cp.require("matplotlib.patches").Patch
    handles = [Patch(facecolor="lightgray", hatch="//", edgecolor="black",
                     label=f"baseline: {args.baseline}"),
               Patch(facecolor="dimgray", edgecolor="black", label=f"new: {args.new}")]
    ax.legend(handles=handles, fontsize=8)
    ax.set_title(args.title or "Baseline against new: median wall time per (workload, engine)")
    cp.save(fig, args.output)


def params_text(params_json, names):
    """The parameters in `names` as "k=v", for telling apart runs of one engine."""
    params = json.loads(params_json)
    return ", ".join(f"{k}={v}" for k, v in params.items()
                     if k in names and not isinstance(v, list))


if __name__ == "__main__":
    main()
