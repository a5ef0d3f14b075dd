"""A classroom at once: 20 browser sessions against ONE real `streamlit run` server, each with its own settings,
interacting at the same time; afterwards every session must show only its own numbers, and the server must have
answered /_stcore/health all along.

Playwright's sync API cannot be shared between threads and cannot run inside another event loop, and the session's
sync `browser` fixture keeps one running in this thread. So the sessions run on Playwright's async API in a helper
thread that owns its own event loop and its own Chromium (conftest CHROMIUM_LEAN_ARGS: no per-window omnibox UI,
about a quarter of each page load's CPU): 20 browser contexts (separate cookies, separate
websockets, separate Streamlit sessions) driven with asyncio.gather. A health poller runs in the same loop.

Phases (with a barrier between them, so a leak from a late session cannot hide). Opening a page is staggered,
OPEN_AT_ONCE at a time (see there); every interaction phase runs in all sessions at once, on open websockets:
  home: each session drags two shelf scores with the keyboard to its own targets, then reads back its slider
        values, its caption and its chart's bars, and compares them with attention_core.softmax of its own scores.
  self-attention (once pages/self_attention.py is in the navigation): each session goes there through the sidebar
        (same Streamlit session, no reload), asks for the bars, types its own sentence, then reads back its token
        caption, a bar chart equal to a row of attention_core's weights for its sentence, and checks that no other
        session's marker word is on screen or in a chart.
AP_CONCURRENT_SESSIONS=30 rehearses a bigger room. The static check that shared modules keep no
mutable module-level state is tests/architecture/test_no_shared_state.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import re
import time
from dataclasses import dataclass, field

import numpy as np
import pytest

from attention_core import softmax
from playground.formatting import pct
from playground.navigation import PAGES
from tests.e2e.conftest import SCREENSHOTS
from tooling.browser import APP_READY_JS, CHROMIUM_LEAN_ARGS

try:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the chromium_path fixture skips (or fails in CI) with the fix
    PlaywrightTimeout = TimeoutError

N_SESSIONS = int(os.environ.get("AP_CONCURRENT_SESSIONS", "20"))  # 20 by default; more to rehearse a bigger room
HEALTH_EVERY_S = 0.25
HEALTH_TIMEOUT_S = 15.0  # a stall this long fails the test; when 20 sessions on this machine press keys at once,
# the server (one Python process, sharing two cores with 20 renderers) has been seen to take up to 8 s
STEP_TIMEOUT_MS = 120_000  # generous: on a shared, busy machine 20 first loads queue for the CPU
POLL_MS = 200  # predicate polling; every animation frame in 20 pages would itself eat the CPU
# Opening a page costs Chromium about 2.5 s of CPU (Streamlit's frontend and Plotly.js, per context); 20 at once on
# two cores thrash and cost far more in total, so pages open a few at a time. The interactions then run all at once.
OPEN_AT_ONCE = 4
VIEWPORT = {"width": 960, "height": 720}  # modest, so 20 pages cost the CPU less to paint

# ---- home: each session's own shelf scores -------------------------------------------------------------------------
SHELVES = ("Pets", "Cooking", "Astronomy")  # as on pages/home.py
DEFAULTS = (3.0, 0.5, -1.0)
STEP = 0.5


def slider_name(shelf: str) -> str:
    return f"Match score for the '{shelf}' shelf"


def home_caption(scores: np.ndarray) -> str:
    """The sentence pages/home.py must show for these scores, computed here from attention_core directly."""
    shares = softmax(scores)
    top = int(np.argmax(shares))
    return f"With these scores the {SHELVES[top]} shelf gets {pct(shares[top])} of the attention."


@dataclass(frozen=True)
class HomePlan:
    presses: tuple[int, int]  # arrow presses on Pets and Cooking (+ right, - left); Astronomy stays put

    @property
    def scores(self) -> np.ndarray:  # [3]
        return np.array(DEFAULTS) + STEP * np.array([*self.presses, 0])


def home_plans(n: int) -> list[HomePlan]:
    """n plans with the fewest key presses whose captions are all different, so any leak shows in the caption."""
    candidates = sorted(((p, c) for p in range(-16, 5) for c in range(-11, 10) if p and c),
                        key=lambda t: (abs(t[0]) + abs(t[1]), t))
    plans, captions = [], set()
    for presses in candidates:
        plan = HomePlan(presses)
        caption = home_caption(plan.scores)
        if caption not in captions:
            captions.add(caption)
            plans.append(plan)
        if len(plans) == n:
            return plans
    raise AssertionError(f"could not find {n} distinct home settings")


# ---- self-attention: each session's own sentence -------------------------------------------------------------------
WORDS = ("the", "cat", "sat", "on", "a", "warm", "mat", "because", "it", "was", "tired")


def marker(i: int) -> str:
    return f"learner{i:02d}x"  # unique per session and never a substring of another session's marker


def sentence(i: int) -> str:
    return " ".join([marker(i), *WORDS[: 3 + i % 8]])


# ---- the run -------------------------------------------------------------------------------------------------------
@dataclass
class Report:
    health: list[tuple[float, int | None, float]] = field(default_factory=list)  # (time since start, status, s)
    problems: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)


async def health_get(host: str, port: int) -> int | None:
    """GET /_stcore/health over a raw socket (no threads, no extra packages); the status code, or None."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET /_stcore/health HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        status_line = await reader.readline()
        match = re.match(rb"HTTP/1\.[01] (\d{3})", status_line)
        return int(match.group(1)) if match else None
    finally:
        writer.close()


async def poll_health(server_url: str, report: Report, stop: asyncio.Event, t_start: float) -> None:
    host, port = server_url.removeprefix("http://").split(":")
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            status = await asyncio.wait_for(health_get(host, int(port)), HEALTH_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            status = None
        report.health.append((t0 - t_start, status, time.perf_counter() - t0))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), HEALTH_EVERY_S)


async def open_page(page, url: str) -> None:
    await page.goto(url, wait_until="commit", timeout=STEP_TIMEOUT_MS)
    await wait_ready(page)


async def wait_ready(page) -> None:
    await page.wait_for_selector('[data-testid="stMain"]', timeout=STEP_TIMEOUT_MS)
    await page.wait_for_function(APP_READY_JS, timeout=STEP_TIMEOUT_MS, polling=POLL_MS)


async def wait_for_text(page, text: str) -> None:
    """Until `text` is on the page and the app is idle; a timeout is left to the read-back to explain."""
    with contextlib.suppress(PlaywrightTimeout):  # the read-back reports what the page shows instead
        # textContent, not innerText: no layout per poll, which 20 pages polling at once would pay for in CPU
        await page.wait_for_function(f"(t) => document.body.textContent.includes(t) && ({APP_READY_JS})()",
                                     arg=text, timeout=STEP_TIMEOUT_MS, polling=POLL_MS)


# Each chart's first trace (its values: y, or x for horizontal bars; its printed labels) and, for label checks, the
# whole figure as JSON.
CHART_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((gd) => ({
    values: Array.from((gd._fullData[0].orientation === 'h' ? gd._fullData[0].x : gd._fullData[0].y) || []),
    text: Array.from(gd._fullData[0].text || []),
    figure: JSON.stringify([gd.data, gd.layout]) }))"""


async def home_open(page, url: str, gate: asyncio.Semaphore) -> None:
    async with gate:
        await open_page(page, url)


async def home_drag(page, plan: HomePlan) -> None:
    for shelf, presses in zip(SHELVES, plan.presses):
        slider = page.get_by_role("slider", name=slider_name(shelf))
        await slider.focus()
        for _ in range(abs(presses)):
            await page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
    await wait_for_text(page, home_caption(plan.scores))


async def home_read_back(page, i: int, plan: HomePlan, others: list[str]) -> list[str]:
    problems = []
    values = [float(await page.get_by_role("slider", name=slider_name(s)).input_value()) for s in SHELVES]
    if not np.allclose(values, plan.scores):
        problems.append(f"session {i}: sliders show {values}, it set {plan.scores.tolist()}")
    body = await page.inner_text('[data-testid="stMain"]')
    expected = home_caption(plan.scores)
    if expected not in body:
        shown = next((line for line in body.splitlines() if "of the attention." in line), "(no caption)")
        problems.append(f"session {i}: caption {shown!r}, expected {expected!r}")
    leaked = [c for c in others if c in body]
    if leaked:
        problems.append(f"session {i}: shows other sessions' captions {leaked}")
    charts = await page.evaluate(CHART_JS)
    shares = softmax(plan.scores)
    if not charts or not np.allclose(charts[0]["values"], shares, rtol=0, atol=1e-12):
        problems.append(f"session {i}: chart bars {charts[0]['values'] if charts else None}, expected {shares.tolist()}")
    if charts and charts[0]["text"] != [f"{100 * v:.0f}%" for v in shares]:
        problems.append(f"session {i}: bar labels {charts[0]['text']}")
    if await page.locator('[data-testid="stException"]').count():
        problems.append(f"session {i}: shows an exception")
    return problems


async def sa_open(page, url_path: str, gate: asyncio.Semaphore) -> None:
    # Through the sidebar, as a learner would: the same Streamlit session moves on, and no reload of the frontend.
    async with gate:
        await page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url_path}"]').click()
        await page.locator(".st-key-sa_text textarea").wait_for()
        await wait_ready(page)
        await page.locator(".st-key-sa_show_bar label").click()  # the chosen word's bars, drawn on request
        await page.locator(".st-key-sa_bar .js-plotly-plot").wait_for()
        await wait_ready(page)


async def sa_type(page, i: int) -> None:
    box = page.locator(".st-key-sa_text textarea")
    await box.fill(sentence(i))
    await box.press("Control+Enter")
    await wait_for_text(page, f"tokens: {marker(i)}")


def sa_weights(text: str) -> np.ndarray:
    """[n, n] self-attention weights of `text` with the page's opening settings (identity projections, scaled,
    temperature 1, no mask, no positions), from attention_core directly."""
    from lessons.embeddings import D_MODEL, embed, prepare  # only needed once the page is in the navigation
    from lessons.walkthrough import build_mask, projections, self_attention_steps

    tokens = prepare(text).tokens
    mask = build_mask(np.ones(len(tokens), dtype=bool))
    return self_attention_steps(embed(tokens), *projections(D_MODEL, "identity"), mask=mask).weights


async def sa_read_back(page, i: int) -> list[str]:
    from lessons.embeddings import prepare

    problems = []
    tokens = prepare(sentence(i)).tokens
    body = await page.inner_text('[data-testid="stMain"]')
    expected = f"{len(tokens)} tokens: {' '.join(tokens)}"
    if expected not in " ".join(body.split()):
        shown = next((line for line in body.splitlines() if " tokens: " in line), "(no token caption)")
        problems.append(f"session {i}: token caption {shown!r}, expected {expected!r}")
    leaked = [marker(j) for j in range(N_SESSIONS) if j != i and marker(j) in body]
    if leaked:
        problems.append(f"session {i}: shows other sessions' words {leaked}")
    charts = await page.evaluate(CHART_JS)
    weights = sa_weights(sentence(i))  # [n, n]
    bars = [np.array(c["values"], dtype=float) for c in charts if len(c["values"]) == len(tokens)]
    if not any(np.allclose(y, row, rtol=0, atol=1e-9) for y in bars for row in weights):
        problems.append(f"session {i}: no bar chart shows a row of its own attention weights")
    figures = [c["figure"] for c in charts]
    if not any(marker(i) in f for f in figures):
        problems.append(f"session {i}: no chart is labelled with its own word {marker(i)!r}")
    leaked = [marker(j) for j in range(N_SESSIONS) if j != i and any(marker(j) in f for f in figures)]
    if leaked:
        problems.append(f"session {i}: charts labelled with other sessions' words {leaked}")
    if await page.locator('[data-testid="stException"]').count():
        problems.append(f"session {i}: shows an exception")
    return problems


async def all_sessions(report: Report, phase: str, coros) -> list:
    """Run one coroutine per session at the same time; a session that raises becomes a problem, not a crash."""
    t0 = time.perf_counter()
    results = await asyncio.gather(*coros, return_exceptions=True)
    report.phases[phase] = time.perf_counter() - t0
    out = []
    for i, result in enumerate(results):
        if isinstance(result, BaseException):
            report.problems.append(f"session {i}: {phase}: {type(result).__name__}: {str(result).splitlines()[0]}")
            out.append([])
        else:
            out.append(result)
    return out


async def run_classroom(server_url: str, chromium: str) -> Report:
    from playwright.async_api import async_playwright

    report = Report()
    t_start = time.perf_counter()
    stop = asyncio.Event()
    poller = asyncio.create_task(poll_health(server_url, report, stop, t_start))
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_LEAN_ARGS, headless=True)
            contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(N_SESSIONS)]
            pages = [await c.new_page() for c in contexts]
            for pg in pages:
                pg.set_default_timeout(STEP_TIMEOUT_MS)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)

            home_url = f"{server_url}/"
            plans = home_plans(N_SESSIONS)
            captions = [home_caption(p.scores) for p in plans]
            gate = asyncio.Semaphore(OPEN_AT_ONCE)
            await all_sessions(report, "home: open", (home_open(pg, home_url, gate) for pg in pages))
            await all_sessions(report, "home: drag own scores, all at once",
                               (home_drag(pg, plan) for pg, plan in zip(pages, plans)))
            for problems in await all_sessions(report, "home: read back", (
                    home_read_back(pg, i, plan, captions[:i] + captions[i + 1:])
                    for i, (pg, plan) in enumerate(zip(pages, plans)))):
                report.problems += problems
            await pages[0].screenshot(path=str(SCREENSHOTS / "concurrency_home_session00.png"))
            await pages[-1].screenshot(path=str(SCREENSHOTS / f"concurrency_home_session{N_SESSIONS - 1}.png"))

            sa_info = next((p for p in PAGES if p.path == "pages/self_attention.py"), None)
            if sa_info is not None:
                await all_sessions(report, "self-attention: open",
                                   (sa_open(pg, sa_info.url_path, gate) for pg in pages))
                await all_sessions(report, "self-attention: type own sentence, all at once",
                                   (sa_type(pg, i) for i, pg in enumerate(pages)))
                for problems in await all_sessions(report, "self-attention: read back",
                                                   (sa_read_back(pg, i) for i, pg in enumerate(pages))):
                    report.problems += problems
                await pages[0].screenshot(path=str(SCREENSHOTS / "concurrency_self_attention_session00.png"))

            for c in contexts:
                await c.close()
            await browser.close()
    finally:
        stop.set()
        await poller
    return report


@pytest.mark.e2e
def test_twenty_sessions_each_see_only_their_own_state(server_url, chromium_path):
    assert len(set(home_plans(N_SESSIONS))) == N_SESSIONS
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # an event loop of its own, see the docstring
        report = pool.submit(asyncio.run, run_classroom(server_url, chromium_path)).result()
    elapsed = time.perf_counter() - t0

    statuses = [status for _, status, _ in report.health]
    slowest = sorted(report.health, key=lambda h: -h[2])[:3]
    print(f"\n{N_SESSIONS} sessions in {elapsed:.1f} s; "
          + "; ".join(f"{name} {s:.1f} s" for name, s in report.phases.items())
          + f"; health: {len(statuses)} checks, {statuses.count(200)} answered 200, slowest "
          + ", ".join(f"{1000 * s:.0f} ms at {t:.0f} s" for t, _, s in slowest))
    assert not report.problems, "sessions saw the wrong state:\n" + "\n".join(report.problems)
    assert len(statuses) >= 5, "the health poller hardly ran"
    failed = [(round(t, 2), status) for t, status, _ in report.health if status != 200]
    assert not failed, f"/_stcore/health did not answer 200 at (seconds into the run, status): {failed}"


# The static check that no module-level mutable state is shared between sessions is
# tests/architecture/test_no_shared_state.py (one check, with its list of sanctioned process-wide state).
