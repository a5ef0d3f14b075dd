"""Browser harness: one real `streamlit run` server per test session, driven by headless Chromium through Playwright.

Without Chromium (or Playwright) the e2e tests skip and say how to install it; CI installs both.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tooling.browser import (  # noqa: F401 - re-exported for the e2e tests
    APP_READY_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_LEAN_ARGS,
    wait_until_rendered,
)
from tooling.servers import free_port, start_server, stop_server, wait_healthy  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SERVER_START_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def chromium_path() -> str:
    # Locally a missing browser skips these tests with the fix; in CI (AP_REQUIRE_BROWSER=1) it fails them.
    required = os.environ.get("AP_REQUIRE_BROWSER") == "1"
    missing = None
    if not os.path.exists(CHROMIUM):
        missing = f"no Chromium at {CHROMIUM}: install Debian's package with `apt-get install -y chromium`"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Playwright is not installed: pip install -r requirements-dev.txt"
    if missing:
        (pytest.fail if required else pytest.skip)(missing)
    return CHROMIUM


@pytest.fixture(scope="session")
def server_url(chromium_path, tmp_path_factory) -> str:
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    proc, url = start_server(log_path)
    try:
        wait_healthy(url, proc, SERVER_START_TIMEOUT_S)
    except RuntimeError as exc:
        stop_server(proc)
        pytest.fail(f"{exc}\n--- server log ---\n{log_path.read_text()}")
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script and the page holds content."""
    wait_until_rendered(page, timeout_ms)
    page.wait_for_timeout(300)  # let Plotly finish its first paint


def wait_text(page, text: str, timeout_ms: int = 30_000, settle: bool = True) -> None:
    """Wait until the page shows `text`, then (settle) until Streamlit has finished its run. A page with a live
    fragment (the class poll's views rerun every second) never settles: pass settle=False there."""
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=text, timeout=timeout_ms)
    if settle:
        wait_for_app(page)


def open_app_page(page, server_url: str, url_path: str = "", query: str = "") -> None:
    page.goto(f"{server_url}/{url_path}{('?' + query) if query else ''}")
    wait_for_app(page)


def formulas(locator) -> list[str]:
    """The LaTeX source of every formula KaTeX typeset inside `locator` (its inner text mixes the MathML copy and
    the glyphs: "ρ = 0.90" reads as "𝜌\\n=\\n0.90\\nρ=0.90")."""
    return locator.evaluate("(e) => [...e.querySelectorAll('annotation')].map((a) => a.textContent)")


def pill(page, question: str, word: str):
    """The option `word` of the pills or segmented control whose text holds `question` (a guess-first question)."""
    group = page.locator('[data-testid="stButtonGroup"]').filter(has_text=question)
    return group.get_by_role("radio", name=word, exact=True)


WATCH_JS = """([selectors, ignored]) => {
    window.__changes = 0;
    const seen = new MutationObserver((records) => {
        window.__changes += records.filter((r) => !ignored.includes(r.attributeName)).length; });
    for (const s of selectors)
        seen.observe(document.querySelector(s), {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def watch_changes(page, selectors: list[str], ignored: tuple[str, ...] = ()) -> None:
    """From now on, count every DOM change inside the elements these CSS selectors find (see `changes`), except
    changes of the attributes named in `ignored`."""
    page.evaluate(WATCH_JS, [selectors, list(ignored)])


def changes(page) -> int:
    """DOM changes inside the watched elements since `watch_changes`: 0 when the page did not redraw them."""
    return page.evaluate("window.__changes")


def assert_no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"page shows an exception: {errors.first.inner_text()[:500]}"


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Streamlit scrolls inside its own container, so full_page alone would stop at the window: grow the window first.
    size = page.viewport_size
    height = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return m ? m.scrollHeight : document.body.scrollHeight; }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 12_000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
