"""Browser-measured latency: from a key press on a control in Chromium to the updated page on screen, per page.

For every page in the navigation and every scenario in benchmarks/browser_scenarios/<page>.py (a page without one
gets its first slider, moved with the arrow keys): one real `streamlit run` server, headless Chromium, a warm page;
then, many times, one key press and a wait for the page to settle. The time is measured inside the page:

  start  the last keydown / pointerup before the page changed (a capture listener, so before Streamlit sees it);
  end    the animation frame in which the page's content reached its final state: the Plotly charts' data and the
         text of markdown, captions, metrics and alerts (widget labels excluded, since a slider's own number moves
         at once), noticed by a MutationObserver and compared once per frame, so the end is the frame that paints it;
  done   once the app's data-test-script-state is back to notRunning and nothing changed for QUIET_MS.
The table also gives the median time to the frame in which the script state was back to notRunning ("script
idle"): the rerun is over then, and it can come a little after the last visible change.

Prints median and p95 per scenario next to the AppTest server-side figures from benchmarks/results.json (same page
and label; `python -m benchmarks.rerun` makes them) and writes benchmarks/browser_results.json.

    python -m benchmarks.browser                       # all pages, 20 timed key presses per scenario
    python -m benchmarks.browser --reps 10 --page pages/home.py
    python -m benchmarks.browser --apptest-reps 15    # AppTest column measured in the same run
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import tempfile
from pathlib import Path

from benchmarks.rerun import BUDGET_MS, p95
from playground.navigation import PAGES
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_healthy, wait_until_rendered

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "browser_results.json"
APPTEST_RESULTS = ROOT / "benchmarks" / "results.json"
WARMUP = 2
QUIET_MS = 400
REP_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 1000}

# Installed once per page load: records input times and the frame of every content change.
MONITOR_JS = """() => {
  if (window.__apLatency) return;
  const main = () => document.querySelector('[data-testid="stMain"]');
  const app = () => document.querySelector('[data-testid="stApp"]');
  const TEXT = '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stMetric"],'
    + ' [data-testid="stAlert"], [data-testid="stTable"], [data-testid="stHeading"]';
  const fingerprint = () => {
    const m = main();
    if (!m) return '';
    const charts = [...m.querySelectorAll('.js-plotly-plot')].map((gd) => JSON.stringify((gd._fullData || []).map(
      (t) => [t.x, t.y, t.z, t.text].map((a) => (a && a.length !== undefined ? Array.from(a) : a)))));
    const text = [...m.querySelectorAll(TEXT)].filter((e) => !e.closest('[data-testid="stWidgetLabel"]'))
      .map((e) => e.innerText);
    return JSON.stringify([charts, text]);
  };
  const s = window.__apLatency = { lastInput: null, start: null, end: null, fp: fingerprint(), dirty: false,
                                   running: false, lastBusy: performance.now(), armed: false, fingerprint };
  const input = () => { s.lastInput = performance.now(); };
  document.addEventListener('keydown', input, true);
  document.addEventListener('pointerup', input, true);
  new MutationObserver(() => { s.dirty = true; }).observe(document.body,
    { subtree: true, childList: true, characterData: true, attributes: true });
  const frame = (now) => {
    const state = app() && app().dataset.testScriptState;
    s.running = state !== 'notRunning';
    if (s.running) { s.lastBusy = now; if (s.armed) s.sawRun = true; }
    else if (s.armed && s.sawRun && s.idle === null) s.idle = now;
    if (s.dirty) {
      s.dirty = false;
      const fp = fingerprint();
      if (fp !== s.fp) {
        s.fp = fp;
        s.lastBusy = now;
        if (s.armed) {
          if (s.start === null) s.start = s.lastInput;
          s.end = now;
        }
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""
ARM_JS = """() => { const s = window.__apLatency; s.fp = s.fingerprint(); s.dirty = false;
  s.start = null; s.end = null; s.idle = null; s.sawRun = false; s.lastInput = null; s.armed = true; }"""
DONE_JS = f"""() => {{ const s = window.__apLatency;
  return s.end !== null && !s.running && performance.now() - s.lastBusy > {QUIET_MS}; }}"""
RESULT_JS = """() => { const s = window.__apLatency; s.armed = false;
  return { start: s.start, end: s.end, idle: s.idle }; }"""


def fallback_scenarios() -> dict:
    from benchmarks.browser_scenarios import step_slider

    return {"first slider (fallback)": lambda page, i: step_slider(page, None, i)}


def scenarios_for(path: str) -> tuple[dict, str]:
    """The page's SCENARIOS and QUERY from benchmarks/browser_scenarios/<stem>.py, or the first-slider fallback."""
    name = f"benchmarks.browser_scenarios.{Path(path).stem}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the module exists but something it imports does not
            raise
        return fallback_scenarios(), ""
    return module.SCENARIOS, getattr(module, "QUERY", "")


def open_warm(context, server_url: str, url_path: str, query: str):
    page = context.new_page()
    page.set_default_timeout(REP_TIMEOUT_MS)
    page.goto(f"{server_url}/{url_path}{('?' + query) if query else ''}")
    wait_until_rendered(page, timeout_ms=120_000)
    page.wait_for_timeout(QUIET_MS)
    page.evaluate(MONITOR_JS)
    return page


def time_change(page, change, i: int) -> tuple[float, float | None]:
    """Milliseconds from the key press to the frame that showed the settled page, and to the frame in which the
    script state was notRunning again (None if no run was seen: it started and ended within one frame)."""
    page.evaluate(ARM_JS)
    change(page, i)
    page.wait_for_function(DONE_JS, timeout=REP_TIMEOUT_MS, polling=50)
    result = page.evaluate(RESULT_JS)
    if result["start"] is None:
        raise RuntimeError("the page changed before any key press reached it")
    idle = None if result["idle"] is None else result["idle"] - result["start"]
    return result["end"] - result["start"], idle


def time_scenario(browser, server_url: str, info, change, query: str, reps: int) -> list[tuple[float, float | None]]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = open_warm(context, server_url, "" if info is PAGES[0] else info.url_path, query)
        for i in range(WARMUP):
            time_change(page, change, i)
        times = [time_change(page, change, i) for i in range(WARMUP, WARMUP + reps)]
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{info.path} shows an exception after the benchmark")
        return times
    finally:
        context.close()


def apptest_figures() -> dict[str, list[dict]]:
    if not APPTEST_RESULTS.exists():
        return {}
    rows = json.loads(APPTEST_RESULTS.read_text()).get("rows", [])
    by_path: dict[str, list[dict]] = {}
    for row in rows:
        by_path.setdefault(row["path"], []).append(row)
    return by_path


def match_apptest(rows: list[dict], label: str) -> dict | None:
    return next((r for r in rows if r["change"] == label), rows[0] if rows else None)


def measure_apptest(path: str, label: str, reps: int) -> dict | None:
    """The AppTest figure for the same page and label, measured now (benchmarks.rerun, results.json untouched)."""
    from benchmarks.rerun import scenarios_for as apptest_scenarios
    from benchmarks.rerun import time_scenario as apptest_time

    try:
        scenarios = apptest_scenarios(path)
    except ModuleNotFoundError:
        return None
    label = label if label in scenarios else next(iter(scenarios), None)
    if label is None:
        return None
    times = apptest_time(path, scenarios[label], reps)
    return {"change": label, "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95(times), 2)}


def chromium_version(browser) -> str:
    return browser.version


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=20, help="timed key presses per scenario (default 20)")
    parser.add_argument("--page", action="append", help="only this page file (repeatable)")
    parser.add_argument("--apptest-reps", type=int, default=0,
                        help="measure the AppTest figure of each scenario now with this many reruns, instead of "
                             "reading benchmarks/results.json (same machine, same moment; results.json untouched)")
    args = parser.parse_args()

    load_before = os.getloadavg()
    chosen = [info for info in PAGES if not args.page or info.path in args.page]
    apptest = apptest_figures()
    if args.apptest_reps:  # before the server and Chromium start, so they do not compete with it
        apptest = {}
        for info in chosen:
            for label in scenarios_for(info.path)[0]:
                figure = measure_apptest(info.path, label, args.apptest_reps)
                if figure:
                    apptest.setdefault(info.path, []).append(figure)
                    print(f"  AppTest {info.title} / {figure['change']}: median {figure['median_ms']} ms", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        proc, server_url = start_server(Path(tmp) / "server.log")
        try:
            wait_healthy(server_url, proc, 60)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                version = chromium_version(browser)
                for info in chosen:
                    scenarios, query = scenarios_for(info.path)
                    for label, change in scenarios.items():
                        pairs = time_scenario(browser, server_url, info, change, query, args.reps)
                        times = [shown for shown, _ in pairs]
                        idle = [t for _, t in pairs if t is not None]
                        server = match_apptest(apptest.get(info.path, []), label)
                        rows.append({
                            "page": info.title, "path": info.path, "change": label, "reps": len(times),
                            "browser_median_ms": round(statistics.median(times), 1),
                            "browser_p95_ms": round(p95(times), 1),
                            "idle_median_ms": round(statistics.median(idle), 1) if idle else None,
                            "apptest_change": server and server["change"],
                            "apptest_median_ms": server and server["median_ms"],
                            "apptest_p95_ms": server and server["p95_ms"],
                        })
                        print(f"  {info.title} / {label}: median {rows[-1]['browser_median_ms']} ms", flush=True)
                browser.close()
        finally:
            stop_server(proc)

    print_table(rows)
    RESULTS.write_text(json.dumps({
        "what": "key press in Chromium -> settled page on screen (ms), next to AppTest's server-side rerun (ms)",
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "chromium": version, "load_average_before": [round(x, 2) for x in load_before],
        "quiet_ms": QUIET_MS, "warmup": WARMUP, "apptest_budget_median_ms": BUDGET_MS,
        "apptest_source": f"measured now, {args.apptest_reps} reruns" if args.apptest_reps else "benchmarks/results.json",
        "rows": rows,
    }, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def print_table(rows: list[dict]) -> None:
    def ms(x) -> str:
        return "—" if x is None else f"{x:.1f}"

    width = max([len("page / change")] + [len(f"{r['page']} / {r['change']}") for r in rows])
    print(f"{'page / change':<{width}}  {'browser median':>14}  {'browser p95':>11}  {'script idle':>11}  "
          f"{'AppTest median':>14}  {'AppTest p95':>11}   (ms)")
    for r in rows:
        note = "" if r["apptest_change"] in (None, r["change"]) else f"  (AppTest: {r['apptest_change']})"
        print(f"{r['page'] + ' / ' + r['change']:<{width}}  {ms(r['browser_median_ms']):>14}  "
              f"{ms(r['browser_p95_ms']):>11}  {ms(r['idle_median_ms']):>11}  {ms(r['apptest_median_ms']):>14}  "
              f"{ms(r['apptest_p95_ms']):>11}{note}")


if __name__ == "__main__":
    main()
