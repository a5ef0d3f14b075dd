"""Where a key press's wait goes in the browser: the chart-cost app (benchmarks/chart_cost_app.py) timed like every
page (benchmarks/browser.py: key press -> page settled) at several settings, in rounds, so the marginal cost of one
more changed heatmap, of the values printed on its cells and of a long page are read off the same run.

    python -m benchmarks.chart_cost                 # the default settings, 3 rounds of 10 presses
    python -m benchmarks.chart_cost --rounds 5 --setting "charts=4&text=0"

Every changed chart is a new Streamlit element (st.plotly_chart's element id includes its spec), so the browser
draws it from scratch; an unchanged one is left alone. Prints each setting's median over its rounds' medians and its
ratio to the floor app (benchmarks/floor_app.py, timed in the same rounds): the reference of `benchmarks.browser`.
Writes benchmarks/results/chart_cost.json (with --setting, only with --write).
The chart-cost app draws its heatmaps as the playground does (no colour bar, tick labels never measured), lighter
than the floor app's one heatmap with Streamlit's default look.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, FLOOR_APP, floor_change, time_scenario
from benchmarks.results_file import command_line, load_average, write_result
from tooling.servers import start_server, stop_server, wait_healthy

APP = "benchmarks/chart_cost_app.py"
FLOOR = "floor app"  # benchmarks/floor_app.py, the browser benchmark's reference, timed in the same rounds
SETTINGS = ("charts=1", "charts=2", "charts=3", "charts=4", "charts=4&text=0", "charts=4&merge=1",
            "charts=1&paragraphs=40", "charts=4&paragraphs=40")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every setting (default 3)")
    parser.add_argument("--reps", type=int, default=10, help="timed presses per setting and round (default 10)")
    parser.add_argument("--setting", action="append", help="a query string for the app (repeatable)")
    parser.add_argument("--write", action="store_true", help="write the result file even for chosen settings")
    args = parser.parse_args()
    command, load_before = command_line("benchmarks.chart_cost"), load_average()
    settings = args.setting or list(SETTINGS)
    medians: dict[str, list[float]] = {s: [] for s in [FLOOR, *settings]}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        proc, url = start_server(Path(tmp) / "app.log", script=APP)
        floor_proc, floor_url = start_server(Path(tmp) / "floor.log", script=FLOOR_APP)
        try:
            wait_healthy(url, proc, 60)
            wait_healthy(floor_url, floor_proc, 60)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for r in range(args.rounds):
                for s in medians:
                    target = floor_url if s == FLOOR else f"{url}/?{s}"
                    medians[s].append(statistics.median(time_scenario(browser, target, floor_change, args.reps)))
                    print(f"  round {r + 1} {s}: {medians[s][-1]:.0f} ms", flush=True)
            browser.close()
        finally:
            stop_server(proc)
            stop_server(floor_proc)
    floor = statistics.median(medians[FLOOR])
    print(f"\n{'setting':<28} median of round medians (ms), ratio to the floor app")
    for s, m in medians.items():
        print(f"{s:<28} {statistics.median(m):8.0f}  {statistics.median(m) / floor:5.2f}x   "
              f"rounds: {', '.join(f'{x:.0f}' for x in m)}")
    if args.setting and not args.write:
        return
    path = write_result("chart_cost", command, {
        "what": "key press in Chromium -> page settled (benchmarks/browser.py), per setting of "
                f"{APP}: the median of its rounds' medians (ms); ratio = that over the floor app's, same rounds",
        "load_average_after": load_average(), "rounds": args.rounds, "reps": args.reps,
        "floor": {"app": FLOOR_APP, "median_ms": round(floor, 1),
                  "round_medians_ms": [round(x, 1) for x in medians[FLOOR]]},
        "settings": [{"setting": s, "median_ms": round(statistics.median(m), 1),
                      "ratio": round(statistics.median(m) / floor, 2), "round_medians_ms": [round(x, 1) for x in m]}
                     for s, m in medians.items() if s != FLOOR]}, load_before)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
