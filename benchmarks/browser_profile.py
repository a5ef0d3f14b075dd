"""Where one key press's time goes in Chromium: a CPU profile of the same presses `benchmarks.browser` times, summed
per script (Plotly's chunk, React, Streamlit's markdown, the browser's own work as "(program)"), per function, and
for the forced layouts (getBoundingClientRect) per calling function, with the charts each press drew anew.

    python -m benchmarks.browser_profile --page pages/multi_head.py                    # its first control
    python -m benchmarks.browser_profile --page pages/bottleneck.py --control "button: another held-out sentence"
    python -m benchmarks.browser_profile --floor                                      # the floor app

A profile samples every 0.2 ms from the key press until the page settled plus the quiet window (0.8 s), so idle time
and the benchmark's own polling appear too; compare a page with the floor app, not with zero. Charts drawn anew: one
letter per chart on the page, N for a new chart element (a changed chart is drawn from scratch), o for one left alone.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
from pathlib import Path

from benchmarks.browser import (
    FLOOR_APP,
    WARMUP,
    floor_change,
    new_context,
    open_warm,
    page_url,
    scenarios_for,
    time_change,
    wait_quiet,
)
from playground.navigation import PAGES
from tooling.browser import CHROMIUM, CHROMIUM_ARGS
from tooling.servers import start_server, stop_server, wait_healthy

SAMPLE_US = 200
TAG_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'), d => {
  const seen = d.__apSeen; d.__apSeen = true; return seen ? 'o' : 'N'; }).join('')"""
LAYOUT_READS = ("getBoundingClientRect", "getComputedTextLength", "getBBox")


def _frame(node: dict) -> tuple[str, str]:
    cf = node["callFrame"]
    name = cf["functionName"] or "(anonymous)"
    script = cf["url"].rsplit("/", 1)[-1] or ("" if name.startswith("(") else "(browser)")
    return name, script if not name.startswith("(") else name


def summarise(profile: dict, per_script: collections.Counter, per_function: collections.Counter,
              layout_reads: collections.Counter) -> None:
    """Adds one profile's self time (ms) per script, per (function, script) and, for forced layouts, per caller."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}
    self_ms: collections.Counter = collections.Counter()
    for sample, delta_us in zip(profile["samples"], profile["timeDeltas"]):
        self_ms[sample] += delta_us / 1000
    for node_id, ms in self_ms.items():
        name, script = _frame(nodes[node_id])
        per_script[script] += ms
        per_function[(name, script)] += ms
        if name in LAYOUT_READS and node_id in parent:
            caller = _frame(nodes[parent[node_id]])
            layout_reads[f"{name} <- {caller[0]} ({caller[1]})"] += ms


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", help="the page file (default: the home page)")
    parser.add_argument("--control", help="the label of one of the page's BROWSER scenarios (default: the first)")
    parser.add_argument("--floor", action="store_true", help="profile the floor app's slider instead")
    parser.add_argument("--reps", type=int, default=3, help="profiled presses (default 3)")
    parser.add_argument("--top", type=int, default=15, help="functions and callers listed (default 15)")
    args = parser.parse_args()

    info = next((p for p in PAGES if p.path == args.page), PAGES[0])
    scenarios, queries = scenarios_for(info.path)
    label = args.control or next(iter(scenarios))
    query = queries.get(label, "")
    change = floor_change if args.floor else scenarios[label]
    per_script: collections.Counter = collections.Counter()
    per_function: collections.Counter = collections.Counter()
    layout_reads: collections.Counter = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        proc, url = start_server(Path(tmp) / "app.log", script=FLOOR_APP if args.floor else "attention_playground.py")
        try:
            wait_healthy(url, proc, 60)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = new_context(browser)
            page = open_warm(context, url if args.floor else page_url(url, info, query))
            page.evaluate(TAG_JS)
            cdp = context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLE_US})
            print(f"{'floor app' if args.floor else info.title} / {FLOOR_APP if args.floor else label}")
            for i in range(WARMUP):
                time_change(page, change, i)
            page.evaluate(TAG_JS)  # the warm-up's charts count as seen
            for i in range(WARMUP, WARMUP + args.reps):
                wait_quiet(page)  # before the profile starts, so it holds the press and its settling only
                cdp.send("Profiler.start")
                waited = time_change(page, change, i)
                summarise(cdp.send("Profiler.stop")["profile"], per_script, per_function, layout_reads)
                print(f"  press {i - WARMUP + 1}: settled after {waited:.0f} ms, charts {page.evaluate(TAG_JS)}")
            browser.close()
        finally:
            stop_server(proc)
    n = args.reps
    print("\nself time per press, by script (ms)")
    for script, ms in per_script.most_common(args.top):
        print(f"  {ms / n:8.1f}  {script}")
    print("\nby function (ms)")
    for (name, script), ms in per_function.most_common(args.top):
        print(f"  {ms / n:8.1f}  {name}  {script}")
    print("\nforced layouts, by caller (ms)")
    for caller, ms in layout_reads.most_common(args.top):
        print(f"  {ms / n:8.1f}  {caller}")


if __name__ == "__main__":
    main()
