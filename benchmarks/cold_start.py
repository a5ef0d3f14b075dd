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

Prints every run and the median; writes benchmarks/cold_start_results.json (one entry per browser-cache mode).

    python -m benchmarks.cold_start              # 5 runs
    python -m benchmarks.cold_start --runs 9
    python -m benchmarks.cold_start --browser-cache warm   # the frontend's files already in the browser cache
    python -m benchmarks.cold_start --importtime # also: which imports of the first script run cost the most
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_LEAN_ARGS,
    ROOT,
    free_port,
    start_server,
    stop_server,
    wait_healthy,
    wait_until_rendered,
)

RESULTS = ROOT / "benchmarks" / "cold_start_results.json"
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
    parser.add_argument("--runs", type=int, default=5, help="cold starts to time (default 5)")
    parser.add_argument("--importtime", action="store_true", help="also list the costliest imports")
    parser.add_argument("--browser-cache", choices=("cold", "warm"), default="cold",
                        help="cold (default): every run in a fresh browser context, nothing cached, the first visit; "
                             "warm: one context and a fixed port, so the frontend's files come from the browser cache, "
                             "as when a learner restarts the app")
    args = parser.parse_args()

    load_before = os.getloadavg()
    runs = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_LEAN_ARGS, headless=True)
        warm = args.browser_cache == "warm"
        port, context = (free_port(), new_context(browser)) if warm else (None, None)
        # One unmeasured start first: it pulls Python, Streamlit and the frontend files into the OS file cache,
        # as a second start on a learner's laptop would find them (and, with a warm cache, fills the browser's).
        one_run(browser, Path(tmp) / "warmup.log", port, context)
        for i in range(args.runs):
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
          f"{load_before[0]:.1f}")
    imports = []
    if args.importtime:
        imports = import_costs()
        print(f"\n{'import':<40} {'cumulative ms':>13} {'self ms':>8}")
        for name, cum, own in imports:
            print(f"{name:<40} {cum:>13.1f} {own:>8.1f}")
    # One entry per browser-cache mode; a run replaces only its own.
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved = saved if "what" in saved and isinstance(saved.get("results"), dict) else {}
    saved["what"] = "launch of `streamlit run` -> home page rendered in headless Chromium (seconds)"
    saved["budget_s"] = BUDGET_S
    saved.setdefault("results", {})[args.browser_cache] = {
        "median": median, "runs": runs, "python": platform.python_version(), "cpus": os.cpu_count(),
        "chromium": version, "load_average_before": [round(x, 2) for x in load_before],
        "imports_ms": [{"module": n, "cumulative_ms": round(c, 1), "self_ms": round(s, 1)} for n, c, s in imports],
    }
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
