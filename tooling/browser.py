"""Debian's Chromium as the tests and benchmarks drive it, and how to tell that a page has finished drawing."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# For rigs that open many windows (one per browser context): Chromium 156 preloads two WebUI omnibox popups per
# window, about 0.6 s of CPU each time, for a UI headless tests never show (one home-page load: 3.5 -> 2.5 s of
# Chromium CPU). tests/e2e/test_concurrency.py and benchmarks/cold_start.py use these.
CHROMIUM_LEAN_ARGS = [
    *CHROMIUM_ARGS,
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI",
]

# True once Streamlit has finished running the script, is connected, shows no skeleton, holds content and every
# Plotly chart has drawn its SVG. Shared by the sync helpers of tests/e2e and by benchmark code (wait_for_function).
APP_READY_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app && app.dataset.testScriptState === 'notRunning'
        && app.dataset.testConnectionState === 'CONNECTED';
    const skeleton = document.querySelector('[data-testid="stSkeleton"]');
    const blocks = document.querySelectorAll('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    const drawn = charts.every((c) => c.querySelector('.js-plotly-plot .main-svg'));
    return idle && !skeleton && blocks.length > 0 && drawn;
}"""


def wait_until_rendered(page, timeout_ms: int = 30_000) -> None:
    """Wait for APP_READY_JS on a Playwright page, polling every animation frame, and return at once."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout_ms)
    page.wait_for_function(APP_READY_JS, timeout=timeout_ms, polling="raf")
