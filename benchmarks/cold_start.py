"""Cold start: from launching `streamlit run` to the home page fully rendered in Chromium.

Budget (docs/ARCHITECTURE.md): <= 3 s.

Each run starts a fresh server (tests/e2e/conftest.py start_server, so the same command line as the e2e tests),
polls /_stcore/health every 20 ms, then opens the home page in a fresh browser context of an already running
Chromium (a learner's browser is open before they start the app; conftest CHROMIUM_LEAN_ARGS, so opening the
context's window does not also build Chrome's own omnibox UI during the measurement) and waits until the script has run and every
Plotly chart has drawn (conftest APP_READY_JS, checked every animation frame). Three times per run:

  health     launch -> the server answers /_stcore/health (Python, Streamlit and the server up)
  rendered   launch -> home page rendered: the figure that has the budget
  page       health -> rendered: loading the frontend, the first script run (imports of the page's modules), drawing
and, inside the page, when the frontend appeared, connected, started and finished the first script run and drew
the first chart (ms after navigation), to see where the time goes.

Prints every run and the median; writes benchmarks/results/cold_start.json (cold browser cache) or
benchmarks/results/cold_start_warm_cache.json (--browser-cache warm).

    python -m benchmarks.cold_start              # 5 runs
    python -m benchmarks.cold_start --runs 9
    python -m benchmarks.cold_start --browser-cache warm   # the frontend's files already in the browser cache
    python -m benchmarks.cold_start --importtime # also: which imports of the first script run cost the most

--fresh-tab: a student's first visit to a page of a server that is already running. Three servers: the playground as
a class gets it (`python -m deploy.replica`, one replica of `python -m deploy.serve`: its HTML tells a first visit
where the server is and starts loading Plotly early, deploy/first_visit.py), the playground as `streamlit run
attention_playground.py` serves it, and the floor app (benchmarks/floor_app.py: one slider, one Plotly heatmap,
plain `streamlit run`). Then, for every page in the navigation on both playground servers and for the floor app,
navigation in a fresh browser context (an empty cache: Streamlit's and Plotly's scripts are fetched and compiled
again) to the page settled, with the one definition of benchmarks/browser.py (no DOM change for 800 ms, script idle;
the figure is the time of the last change). The first round is each page's first visit since the server started
(its caches cold: models loaded, held-out set built ...) and is reported apart; the next `--runs` rounds (default 3;
floor and pages interleaved, so a busy moment hits all) give the medians and the ratio to the floor, target <= 1.3
(issue 13) on the class server; the plain server's rows say what deploy/first_visit.py buys. Also, per page, when
the title showed and when every chart had drawn. Writes benchmarks/results/cold_start_fresh_tab.json (not with
--page).

    python -m benchmarks.cold_start --fresh-tab             # every page, 3 rounds after the first visits
    python -m benchmarks.cold_start --fresh-tab --runs 5 --page pages/multi_head.py
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.results_file import command_line, load_average, write_result
from tooling.browser import CHROMIUM, CHROMIUM_LEAN_ARGS, wait_until_rendered
from tooling.servers import ROOT, free_port, start_server, stop_server, wait_healthy

# benchmarks/results/<name>.json per mode: launch with a cold or a warm browser cache, and --fresh-tab
RESULT = {"cold": "cold_start", "warm": "cold_start_warm_cache", "fresh_tab": "cold_start_fresh_tab"}
LAUNCH = ("launch of `streamlit run` -> home page rendered in headless Chromium (seconds); median of the runs, "
          "after one unmeasured start")
BUDGET_S = 3.0
POLL_S = 0.02
TIMEOUT_S = 60.0

# What a server imports before and during the first run of the home page, in the order it happens.
FIRST_RUN_IMPORTS = ("streamlit", "playground.navigation", "numpy", "attention_core", "playground.figures.base",
                     "playground.state", "playground.formatting")


# Milestones inside the page, in ms since navigation started: when the frontend connected its websocket, when the
# first script run started and ended, when the first Plotly chart drew. Recorded from the first byte of the page.
MILESTONES_JS = """(() => {
  const m = window.__apColdStart = {};
  const mark = (name) => { if (!(name in m)) m[name] = performance.now(); };
  const look = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app) {
      mark('frontend');
      if (app.dataset.testConnectionState === 'CONNECTED') mark('connected');
      if (app.dataset.testScriptState === 'running') mark('script_started');
      if ('script_started' in m && app.dataset.testScriptState === 'notRunning') mark('script_done');
    }
    if (document.querySelector('.js-plotly-plot .main-svg')) mark('chart_drawn');
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
})()"""
MILESTONES = ("frontend", "connected", "script_started", "script_done", "plotly_js_requested", "plotly_js_loaded",
              "chart_drawn")
# Streamlit loads Plotly.js (its largest chunk) only when the first chart arrives: when was it fetched?
PLOTLY_JS = """() => { const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/PlotlyChart'));
  return e ? { plotly_js_requested: e.startTime, plotly_js_loaded: e.responseEnd } : {}; }"""



def new_context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(MILESTONES_JS)
    return context



def one_run(browser, log_path: Path, port: int | None = None, context=None) -> dict:
    """One cold start. Without `context`, a fresh browser context (empty cache); with one, a new tab in it."""
    t0 = time.perf_counter()
    proc, url = start_server(log_path, port)
    try:
        wait_healthy(url, proc, TIMEOUT_S, POLL_S)
        t_health = time.perf_counter()
        own_context = context is None
        if own_context:
            context = new_context(browser)
        try:
            page = context.new_page()
            page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
            wait_until_rendered(page, timeout_ms=int(TIMEOUT_S * 1000))
            t_rendered = time.perf_counter()
            marks = {**page.evaluate("() => window.__apColdStart"), **page.evaluate(PLOTLY_JS)}
            title = page.locator("h1").first.inner_text().strip()
            if title != "Attention Playground" or page.locator('[data-testid="stException"]').count():
                raise RuntimeError(f"the home page did not render cleanly (title {title!r})")
        finally:
            (context if own_context else page).close()
    finally:
        stop_server(proc)
    return {"health_s": round(t_health - t0, 3), "rendered_s": round(t_rendered - t0, 3),
            "page_s": round(t_rendered - t_health, 3),
            "in_page_ms": {k: round(marks[k]) for k in MILESTONES if k in marks}}


# ---- --fresh-tab: a first visit to a running server, against the floor app -----------------------------------------

FRESH_TAB_TARGET = 1.3
# When the page's title (its h1) appeared, in ms after navigation started; settling is SETTLE_JS's.
TITLE_JS = """(() => {
  const m = window.__apFresh = {};
  new MutationObserver(() => {
    if (!('title' in m) && document.querySelector('[data-testid="stMain"] h1')) m.title = performance.now();
  }).observe(document, { subtree: true, childList: true });
})()"""


def fresh_visit(browser, url: str) -> dict:
    """Navigation in a fresh browser context (empty cache) -> title shown, every chart drawn, page settled (ms)."""
    from benchmarks.browser import SETTLE_JS, VIEWPORT, wait_quiet

    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(SETTLE_JS)
    context.add_init_script(TITLE_JS)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        wait_until_rendered(page, timeout_ms=int(TIMEOUT_S * 1000))
        charts = page.evaluate("() => performance.now()")
        wait_quiet(page, int(TIMEOUT_S * 1000))
        marks = page.evaluate("() => ({ settled: window.__apSettle.lastChange, title: window.__apFresh.title })")
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url} shows an exception")
    finally:
        context.close()
    return {"title_ms": round(marks["title"] or 0), "charts_ms": round(charts), "settled_ms": round(marks["settled"])}


# The playground's two ways of being served: as a class gets it (one replica of `python -m deploy.serve`, which tells
# a first visit where the server is and loads Plotly early, deploy/first_visit.py) and as `streamlit run` serves it.
SERVERS = {"class": "python -m deploy.replica (one replica of python -m deploy.serve)",
           "plain": "streamlit run attention_playground.py"}


def fresh_tab(runs: int, pages: list[str] | None, write: bool) -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.browser import FLOOR_APP, QUIET_MS, page_url
    from deploy import replica
    from playground.navigation import PAGES

    chosen = [info for info in PAGES if not pages or info.path in pages]
    command, load_before = command_line("benchmarks.cold_start"), load_average()
    first: dict[str, dict] = {}
    visits: dict[str, list[dict]] = {"floor": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        procs = {"floor": start_server(Path(tmp) / "floor.log", script=FLOOR_APP)}
        procs |= {server: start_server(Path(tmp) / f"{server}.log", module=replica.__name__ if server == "class"
                                       else None) for server in SERVERS}
        try:
            for proc, url in procs.values():
                wait_healthy(url, proc, TIMEOUT_S)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_LEAN_ARGS, headless=True)
            version = browser.version
            targets = {"floor": procs["floor"][1]} | {f"{server} {info.path}": page_url(procs[server][1], info, "")
                                                      for info in chosen for server in SERVERS}
            for name, url in targets.items():  # each page's first visit since its server started
                first[name] = fresh_visit(browser, url)
                print(f"first visit {name}: settled {first[name]['settled_ms']} ms", flush=True)
            for r in range(runs):
                for name, url in targets.items():
                    visits.setdefault(name, []).append(fresh_visit(browser, url))
                print(f"round {r + 1}: " + ", ".join(f"{n.replace('pages/', '').removesuffix('.py')} "
                                                     f"{v[-1]['settled_ms']}" for n, v in visits.items()), flush=True)
            browser.close()
        finally:
            for proc, _ in procs.values():
                stop_server(proc)
    load_after = load_average()

    def medians(runs_: list[dict]) -> dict:
        return {k: round(statistics.median(v[k] for v in runs_)) for k in ("title_ms", "charts_ms", "settled_ms")}

    floor = {"app": FLOOR_APP, **medians(visits["floor"]), "first_visit": first["floor"], "runs": visits["floor"]}

    def rows_of(server: str) -> list[dict]:
        rows = []
        for info in chosen:
            name = f"{server} {info.path}"
            m = medians(visits[name])
            ratio = round(m["settled_ms"] / floor["settled_ms"], 2)
            rows.append({"page": info.title, "path": info.path, **m, "ratio": ratio,
                         "ok": ratio <= FRESH_TAB_TARGET, "first_visit": first[name], "runs": visits[name]})
        return rows

    result = {"what": "navigation in a fresh browser context (empty cache) to the page settled (no DOM change for "
                      f"{QUIET_MS} ms, script idle), on a running server (ms); ratio = median over the floor app's",
              "load_average_after": load_after, "target_ratio": FRESH_TAB_TARGET, "rounds": runs,
              "python": platform.python_version(), "cpus": os.cpu_count(), "chromium": version, "floor": floor,
              "server": SERVERS["class"], "rows": rows_of("class"),
              "plain_server": SERVERS["plain"], "plain_rows": rows_of("plain")}
    print_fresh_tab(result, load_before)
    if write:
        path = write_result(RESULT["fresh_tab"], command, result, load_before)
        print(f"wrote {path.relative_to(ROOT)}")


def print_fresh_tab(result: dict, load_before: float) -> None:
    floor = result["floor"]
    print(f"\nfresh tab on a running server, median of {result['rounds']} rounds (ms after navigation; load average "
          f"{load_before:.2f} before, {result['load_average_after']:.2f} after; target "
          f"ratio <= {result['target_ratio']:g})")
    for server, rows in ((result["server"], result["rows"]), (result["plain_server"], result["plain_rows"])):
        width = max(len(r["page"]) for r in [*rows, {"page": "floor app"}])
        print(f"\n{server}\n{'page':<{width}}  {'title':>6}  {'charts':>7}  {'settled':>8}  {'ratio':>6}  "
              f"{'first visit':>12}")
        for r in [{"page": "floor app", **floor, "ratio": 1.0, "ok": True}, *rows]:
            flag = "" if r["ok"] else "  OVER"
            print(f"{r['page']:<{width}}  {r['title_ms']:>6}  {r['charts_ms']:>7}  {r['settled_ms']:>8}  "
                  f"{r['ratio']:>5.2f}x  {r['first_visit']['settled_ms']:>12}{flag}")


def import_costs(top: int = 15) -> list[tuple[str, float, float]]:
    """`python -X importtime` of the modules the first run needs: (module, cumulative ms, self ms), costliest first,
    for the top-level packages and the project's own modules."""
    code = "; ".join(f"import {m}" for m in FIRST_RUN_IMPORTS)
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        self_us, cum_us, indent, name = int(match[1]), int(match[2]), len(match[3]), match[4]
        if indent <= 1 or name.split(".")[0] in ("playground", "attention_core"):
            rows.append((name, cum_us / 1000, self_us / 1000))
    return sorted(rows, key=lambda r: -r[1])[:top]


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=None, help="cold starts to time (default 5)")
    parser.add_argument("--importtime", action="store_true", help="also list the costliest imports")
    parser.add_argument("--browser-cache", choices=("cold", "warm"), default="cold",
                        help="cold (default): every run in a fresh browser context, nothing cached, the first visit; "
                             "warm: one context and a fixed port, so the frontend's files come from the browser cache, "
                             "as when a learner restarts the app")
    parser.add_argument("--fresh-tab", action="store_true",
                        help="instead: every page's first visit in a fresh tab on a running server, against the floor "
                             "app (--runs rounds, default 3)")
    parser.add_argument("--page", action="append", help="--fresh-tab: only this page file (repeatable; then the "
                                                        "results file is not written)")
    args = parser.parse_args()
    if args.fresh_tab:
        fresh_tab(args.runs if args.runs is not None else 3, args.page, write=not args.page)
        return

    command, load_before = command_line("benchmarks.cold_start"), load_average()
    runs = []
    n_runs = args.runs if args.runs is not None else 5
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_LEAN_ARGS, headless=True)
        warm = args.browser_cache == "warm"
        port, context = (free_port(), new_context(browser)) if warm else (None, None)
        # One unmeasured start first: it pulls Python, Streamlit and the frontend files into the OS file cache,
        # as a second start on a learner's laptop would find them (and, with a warm cache, fills the browser's).
        one_run(browser, Path(tmp) / "warmup.log", port, context)
        for i in range(n_runs):
            runs.append(one_run(browser, Path(tmp) / f"run{i}.log", port, context))
            marks = ", ".join(f"{k} {v}" for k, v in runs[-1]["in_page_ms"].items())
            print(f"run {i + 1}: health {runs[-1]['health_s']:.2f} s, rendered {runs[-1]['rendered_s']:.2f} s "
                  f"(in the page, ms after navigation: {marks})", flush=True)
        version = browser.version
        browser.close()

    median = {k: round(statistics.median(r[k] for r in runs), 3) for k in ("health_s", "rendered_s", "page_s")}
    verdict = "ok" if median["rendered_s"] <= BUDGET_S else "OVER"
    print(f"cold start ({args.browser_cache} browser cache), median of {len(runs)}: server healthy {median['health_s']:.2f} s, home rendered "
          f"{median['rendered_s']:.2f} s (budget {BUDGET_S:.0f} s: {verdict}); load average before "
          f"{load_before:.1f}")
    imports = []
    if args.importtime:
        imports = import_costs()
        print(f"\n{'import':<40} {'cumulative ms':>13} {'self ms':>8}")
        for name, cum, own in imports:
            print(f"{name:<40} {cum:>13.1f} {own:>8.1f}")
    path = write_result(RESULT[args.browser_cache], command, {
        "what": LAUNCH, "browser_cache": args.browser_cache, "budget_s": BUDGET_S, "median": median, "runs": runs,
        "python": platform.python_version(), "cpus": os.cpu_count(), "chromium": version,
        "imports_ms": [{"module": n, "cumulative_ms": round(c, 1), "self_ms": round(s, 1)} for n, c, s in imports],
    }, load_before)
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
