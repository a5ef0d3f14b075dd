"""Every page on a projector (1280 x 720 at 150 % zoom: 853 x 480 CSS pixels, device scale factor 1.5) and on a
390 x 844 phone: nothing wider than the screen (the page, the main block, every chart), and a screenshot of each for
a person to look at (artifacts/screenshots/layout_<size>_<page>.png)."""

from __future__ import annotations

import pytest

from playground.navigation import PAGES
from tests.e2e.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

SIZES = {
    "zoomed": dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5),
    "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True),
}

WIDTHS_JS = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return {
        viewport: window.innerWidth,
        page: document.documentElement.scrollWidth,
        main: main ? main.scrollWidth : 0,
        main_right: main ? main.getBoundingClientRect().right : 0,
        charts: charts.map((c) => [c.scrollWidth, c.getBoundingClientRect().right,
                                   (c.querySelector('.gtitle') || {}).textContent || '']),
    };
}"""


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request, browser):
    context = browser.new_context(**SIZES[request.param])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield request.param, pg
    context.close()


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_no_content_is_wider_than_the_screen(sized, info, server_url):
    size, page = sized
    page.goto(f"{server_url}/{info.url_path}")
    wait_for_app(page, 120_000)  # a fresh server's first Bottleneck or Reordering visit loads models
    page.wait_for_timeout(1500)  # Plotly relayouts once its box has its final width
    assert_no_exception(page)
    w = page.evaluate(WIDTHS_JS)
    view = w["viewport"]
    assert w["page"] <= view, f"{info.title} at {size}: the page is {w['page']} px wide on a {view} px screen"
    assert w["main"] <= view and w["main_right"] <= view + 1, f"{info.title} at {size}: main block {w}"
    for scroll_width, right, title in w["charts"]:
        assert scroll_width <= view and right <= view + 1, f"{info.title} at {size}: chart {title!r} {w}"
    screenshot(page, f"layout_{size}_{info.url_path}")
