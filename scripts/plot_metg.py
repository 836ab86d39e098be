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
        status = engine.get("metg_status")
        bound = engine.get("metg_bound")
        if metg:
            text = f"{label}: METG {metg * 1e6:.3g} µs"
        elif status == "never_above" and bound:
            text = f"{label}: METG > {bound * 1e6:.3g} µs (never reached)"
        elif status == "always_above" and bound:
            text = f"{label}: METG ≤ {bound * 1e6:.3g} µs (always above)"
        else:
            text = f"{label}: no METG"
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


if __name__ == "__main__":
    main()
