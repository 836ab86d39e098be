#!/usr/bin/python3
"""Efficiency against task grain for each engine (concbench metg --json), with the threshold
line and each engine's METG marked."""

import argparse

import concbench_plot as cp


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("metg", help="concbench metg JSON (metg --json)")
    parser.add_argument("-o", "--output", required=True, help="PNG or SVG file to write")
    parser.add_argument("--title", help="chart title")
    args = parser.parse_args()

    cp.pyplot()
    doc = cp.load_json(args.metg)
    if not isinstance(doc, dict) or "engines" not in doc:
        cp.fail(f"{args.metg}: not a concbench metg file (no \"engines\")")
    threshold = doc.get("threshold", 0.5)
    fig, ax = cp.new_figure()
    for engine in doc["engines"]:
        label = engine.get("label", engine["engine"])
        curve = sorted(engine["curve"], key=lambda p: p["grain"])
        if not curve:
            continue
        color = cp.engine_color(label)
        metg = engine.get("metg")
        text = f"{label}: {metg_text(engine, threshold)}"
        ax.plot([p["grain"] * 1e6 for p in curve], [100 * p["efficiency"] for p in curve],
                marker="o", color=color, label=text)
        if metg:
            ax.axvline(metg * 1e6, color=color, linestyle=":", alpha=0.7)
            ax.plot([metg * 1e6], [100 * threshold], marker="D", markersize=9, color=color,
                    markeredgecolor="black")
    ax.axhline(100 * threshold, color="black", linestyle="--", linewidth=1,
               label=f"threshold {100 * threshold:.0f}%")
    cp.log_scale(ax, "x")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("task grain (µs of CPU per task)")
    ax.set_ylabel("efficiency (%)")
    workers = doc.get("workers")
    ax.set_title(args.title or f"METG({100 * threshold:.0f}%) of spin"
                 + (f", {workers} workers" if workers else ""))
    ax.legend()
    cp.save(fig, args.output)


def metg_text(engine, threshold):
    """The engine's METG in words, for the legend."""
    metg, status, bound = engine.get("metg"), engine.get("metg_status"), engine.get("metg_bound")
    percent = f"{100 * threshold:.0f}%"
    if metg:
        return f"METG {cp.duration_text(metg)}"
    if status == "never_above" and bound:
        return f"no grain reached {percent} efficiency up to {cp.duration_text(bound)}"
    if status == "always_above" and bound:
        return (f"{percent} efficiency or more at every grain down to "
                f"{cp.duration_text(bound)} (METG at most that)")
    if status == "empty":
        return "no METG: interrupted before a point was measured"
    return "no METG"


if __name__ == "__main__":
    main()
