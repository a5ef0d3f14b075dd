"""What a student waits for in the browser: from a key press on a control to the page settled, per page and control,
as a ratio to a one-slider, one-heatmap floor app measured in the same run (benchmarks/floor_app.py).

One definition of the wait, everywhere (this benchmark, `benchmarks.cold_start --fresh-tab`, the README):

  settled  the page stopped changing: no DOM change at all (any element, attribute or text, the "running" and
           stale-element marks included) for QUIET_MS = 800 ms and the script idle. The figure reported is the time
           from the key press to the animation frame of the last change, i.e. the settle time minus the quiet window.

The key press is the last keydown / pointerup before the page settles (a capture listener, so before Streamlit sees
it; for a select box that is the Enter that picks the option, not the key that opened the list). The script state
(data-test-script-state) is not required to pass through "running": a fast rerun can go from notRunning to notRunning
within one React render, and the key press itself changes the widget at once, so the quiet window cannot start before
the rerun's own changes.

For every page in the navigation, every BROWSER scenario in benchmarks/scenarios/<page>.py (its main controls; a
page without them gets its first slider): a warm page in its own browser context, WARMUP unmeasured presses, then
`--reps` timed presses that alternate values (every press changes what is drawn). The floor app's slider is timed the
same way before the pages and again after them, on its own server; the floor is the median of both sets of presses
pooled, and each row's ratio is its median over the floor's. Target (issue 13): every row <= TARGET_RATIO.

    python -m benchmarks.browser                        # every page and control, 10 timed presses each
    python -m benchmarks.browser --reps 20 --page pages/multi_head.py
    python -m benchmarks.browser --page pages/home.py --control "slider: shelf score"

Prints a table (settled median and p95, ratio to the floor) and writes benchmarks/results/browser.json (rows and the
floor, the load average before and after). With --page or --control the file is not written unless --write, and then
the run's rows replace those rows only, each marked with its run (command, date, load average, its own floor).
A page in the navigation that the file has no row for is listed by `python -m benchmarks.report` as not yet measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks import keyboard
from benchmarks.rerun import p95
from benchmarks.results_file import command_line, load_average, merge_rows, write_result
from benchmarks.scenarios import module_for as scenario_module
from playground.navigation import PAGES
from tooling.browser import CHROMIUM, CHROMIUM_ARGS, wait_until_rendered
from tooling.servers import start_server, stop_server, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
RESULT = "browser"  # benchmarks/results/browser.json
FLOOR_APP = "benchmarks/floor_app.py"
FLOOR_LABEL = "slider: temperature"
TARGET_RATIO = 2.0
QUIET_MS = 800
WARMUP = 2
REP_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 1000}

# Installed once per page (as an init script, so also on a fresh tab from the first byte): the time of the last DOM
# change, painted (the animation frame after a mutation), and the last input.
SETTLE_JS = """(() => {
  if (window.__apSettle) return;
  const s = window.__apSettle = { lastChange: performance.now(), lastInput: null, dirty: false, armed: false };
  const running = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !app || app.dataset.testScriptState !== 'notRunning';
  };
  s.running = running;
  const input = () => { if (s.armed) s.lastInput = performance.now(); };
  document.addEventListener('keydown', input, true);
  document.addEventListener('pointerup', input, true);
  new MutationObserver(() => { s.dirty = true; }).observe(document,
    { subtree: true, childList: true, characterData: true, attributes: true });
  const frame = () => {
    if (s.dirty) { s.dirty = false; s.lastChange = performance.now(); }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()"""
ARM_JS = """() => { const s = window.__apSettle; s.lastInput = null; s.armed = true; }"""
QUIET_JS = f"""() => {{ const s = window.__apSettle;
  return !s.running() && performance.now() - s.lastChange >= {QUIET_MS}; }}"""
SETTLED_JS = f"""() => {{ const s = window.__apSettle;
  return s.lastInput !== null && !s.running()
    && performance.now() - Math.max(s.lastChange, s.lastInput) >= {QUIET_MS}; }}"""
RESULT_JS = """() => { const s = window.__apSettle; s.armed = false;
  return { start: s.lastInput, end: Math.max(s.lastChange, s.lastInput) }; }"""

Change = Callable[[object, int], None]


def fallback_scenarios() -> dict[str, Change]:
    return {"first slider (fallback)": lambda page, i: keyboard.step_slider(page, None, i)}


def scenarios_for(path: str) -> tuple[dict[str, Change], dict[str, str]]:
    """The page's BROWSER scenarios from benchmarks/scenarios/<stem>.py and the URL query each opens the page with
    (its BROWSER_QUERIES entry, else BROWSER_QUERY), or the first-slider fallback for a page that has none yet."""
    module = scenario_module(path)
    if module is None or not getattr(module, "BROWSER", None):
        return fallback_scenarios(), {}
    query, own = getattr(module, "BROWSER_QUERY", ""), getattr(module, "BROWSER_QUERIES", {})
    return module.BROWSER, {label: own.get(label, query) for label in module.BROWSER}


def floor_change(page, i: int) -> None:
    keyboard.step_slider(page, "Temperature", i)


def new_context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(SETTLE_JS)
    return context


def wait_quiet(page, timeout_ms: int = REP_TIMEOUT_MS) -> None:
    """Until the script is idle and nothing changed for QUIET_MS."""
    page.wait_for_function(QUIET_JS, timeout=timeout_ms, polling=50)


def open_warm(context, url: str):
    page = context.new_page()
    page.set_default_timeout(REP_TIMEOUT_MS)
    page.goto(url)
    wait_until_rendered(page, timeout_ms=120_000)
    wait_quiet(page)
    return page


def time_change(page, change: Change, i: int) -> float:
    """Milliseconds from the key press to the painted frame of the page's last change before it settled."""
    wait_quiet(page)
    page.evaluate(ARM_JS)
    change(page, i)
    page.wait_for_function(SETTLED_JS, timeout=REP_TIMEOUT_MS, polling=50)
    result = page.evaluate(RESULT_JS)
    return result["end"] - result["start"]


def time_scenario(browser, url: str, change: Change, reps: int) -> list[float]:
    context = new_context(browser)
    try:
        page = open_warm(context, url)
        for i in range(WARMUP):
            time_change(page, change, i)
        times = [time_change(page, change, i) for i in range(WARMUP, WARMUP + reps)]
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url} shows an exception after the benchmark")
        return times
    finally:
        context.close()


def page_url(server_url: str, info, query: str) -> str:
    return f"{server_url}/{'' if info is PAGES[0] else info.url_path}{('?' + query) if query else ''}"


def summary(times: list[float]) -> dict:
    return {"reps": len(times), "median_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1),
            "times_ms": [round(t, 1) for t in times]}


def row_for(info, label: str, times: list[float] | str, floor_ms: float) -> dict:
    if isinstance(times, str):  # the scenario failed: its error
        return {"page": info.title, "path": info.path, "control": label, "error": times, "ok": False}
    s = summary(times)
    ratio = round(s["median_ms"] / floor_ms, 2)
    return {"page": info.title, "path": info.path, "control": label, **s, "ratio": ratio,
            "ok": ratio <= TARGET_RATIO}


def chosen_scenarios(pages: list[str] | None, controls: list[str] | None) -> list[tuple]:
    """(page info, query, label, change) for every page and control asked for."""
    out = []
    for info in PAGES:
        if pages and info.path not in pages:
            continue
        scenarios, queries = scenarios_for(info.path)
        out += [(info, queries.get(label, ""), label, change) for label, change in scenarios.items()
                if not controls or label in controls]
    return out


def build_result(floor_runs: list[list[float]], measured: list[tuple], meta: dict) -> dict:
    """The JSON of a run: the floor (its timings before and after the pages, pooled) and one row per (page info,
    control label, timings) in `measured`, with its ratio to the floor's median."""
    floor_times = [t for run in floor_runs for t in run]
    floor_ms = statistics.median(floor_times)
    return {
        "what": "key press in Chromium -> page settled (no DOM change for quiet_ms, script idle), minus the quiet "
                "window (ms); ratio = median over the floor app's median, measured in the same run",
        **meta, "quiet_ms": QUIET_MS, "warmup": WARMUP, "target_ratio": TARGET_RATIO,
        "floor": {"app": FLOOR_APP, "control": FLOOR_LABEL, **summary(floor_times),
                  "median_before_ms": round(statistics.median(floor_runs[0]), 1),
                  "median_after_ms": round(statistics.median(floor_runs[-1]), 1)},
        "rows": [row_for(info, label, times, floor_ms) for info, label, times in measured],
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=10, help="timed key presses per control (default 10)")
    parser.add_argument("--page", action="append", help="only this page file (repeatable)")
    parser.add_argument("--control", action="append", help="only the control with this label (repeatable)")
    parser.add_argument("--write", action="store_true", help="write the JSON even for a subset of pages/controls")
    args = parser.parse_args()

    todo = chosen_scenarios(args.page, args.control)
    command, load_before = command_line("benchmarks.browser"), load_average()
    measured: list[tuple] = []
    floor_runs: list[list[float]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        floor_proc, floor_url = start_server(Path(tmp) / "floor.log", script=FLOOR_APP)
        app_proc, app_url = start_server(Path(tmp) / "app.log")
        try:
            wait_healthy(floor_url, floor_proc, 60)
            wait_healthy(app_url, app_proc, 60)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            version = browser.version

            def floor() -> None:
                floor_runs.append(time_scenario(browser, floor_url, floor_change, args.reps))
                print(f"  floor app / {FLOOR_LABEL}: median {statistics.median(floor_runs[-1]):.1f} ms", flush=True)

            floor()
            for info, query, label, change in todo:
                try:
                    times = time_scenario(browser, page_url(app_url, info, query), change, args.reps)
                except Exception as exc:  # one broken scenario is reported, not the end of a 15-minute run
                    measured.append((info, label, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"))
                    print(f"  {info.title} / {label}: FAILED {measured[-1][2]}", flush=True)
                    continue
                measured.append((info, label, times))
                print(f"  {info.title} / {label}: median {statistics.median(times):.1f} ms", flush=True)
            floor()
            browser.close()
        finally:
            stop_server(app_proc)
            stop_server(floor_proc)
    result = build_result(floor_runs, measured, {
        "load_average_after": load_average(), "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "chromium": version})
    print_table(result, load_before)
    if not args.page and not args.control:
        path = write_result(RESULT, command, result, load_before)
    elif args.write:
        done = {(r["path"], r["control"]) for r in result["rows"]}
        whole = set(args.page or []) if not args.control else set()  # pages run with every control: all rows go

        def replaced(row: dict) -> bool:
            return (row["path"], row["control"]) in done or row["path"] in whole

        path = merge_rows(RESULT, command, result, replaced, load_before, floor_median_ms=result["floor"]["median_ms"])
    else:
        return
    print(f"wrote {path.relative_to(ROOT)}")


def print_table(result: dict, load_before: float) -> None:
    rows, floor = result["rows"], result["floor"]
    width = max([len("page / control")] + [len(f"{r['page']} / {r['control']}") for r in rows])
    print(f"\nfloor app ({floor['app']}, {floor['control']}): median {floor['median_ms']:.1f} ms, p95 "
          f"{floor['p95_ms']:.1f} ms (before the pages {floor['median_before_ms']:.1f}, after "
          f"{floor['median_after_ms']:.1f}); load average {load_before:.2f} before, "
          f"{result['load_average_after']:.2f} after")
    print(f"{'page / control':<{width}}  {'settled median':>14}  {'p95':>8}  {'ratio':>6}   (ms; target ratio <= "
          f"{result['target_ratio']:g})")
    for r in rows:
        if "error" in r:
            print(f"{r['page'] + ' / ' + r['control']:<{width}}  FAILED: {r['error']}")
            continue
        flag = "" if r["ok"] else "  OVER"
        print(f"{r['page'] + ' / ' + r['control']:<{width}}  {r['median_ms']:>14.1f}  {r['p95_ms']:>8.1f}  "
              f"{r['ratio']:>5.2f}x{flag}")


if __name__ == "__main__":
    main()
