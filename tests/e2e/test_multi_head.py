"""The multi-head page in a real browser: it renders eight heads, a heads click redraws the grid, a shared URL and
odd text come back as plain text, with no exception."""

from urllib.parse import quote

import pytest

from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def open_multi_head(page, server_url: str, query: str = "") -> None:
    open_app_page(page, server_url, "multi_head", query)


def grid_title(page) -> str:
    return page.locator(".st-key-mh_grid .gtitle").first.text_content()  # SVG text: no inner_text


def test_renders_eight_heads_and_a_heads_click_redraws(page, server_url):
    open_multi_head(page, server_url)
    assert page.locator("h1").first.inner_text().strip() == "Multi-head attention"
    assert grid_title(page).startswith("8 heads × 10×10")
    assert page.locator(".st-key-mh_grid .heatmaplayer .hm").count() == 1  # every head in one heatmap trace
    assert page.locator(".st-key-mh_grid .annotation-text").count() == 8  # a title over each head's panel
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # the grid; the rest on request
    assert_no_exception(page)
    screenshot(page, "multi_head")

    page.locator(".st-key-mh_heads").get_by_role("radio", name="2", exact=True).click()
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('.st-key-mh_grid .gtitle').textContent.startsWith('2 heads')")
    assert page.locator(".st-key-mh_grid .annotation-text").count() == 2
    assert "heads=2" in page.url
    assert_no_exception(page)
    screenshot(page, "multi_head_2_heads")


def test_shared_url_reopens_the_view(page, server_url):
    text = "The animal didn't cross the street because it was too tired"
    open_multi_head(page, server_url, f"sentence={quote(text)}&word=street&heads=4&d_model=128&pos=0")
    assert page.locator(".st-key-mh_text input").input_value() == text
    assert grid_title(page).startswith("4 heads × 11×11")
    assert page.get_by_text("One word, every head: street").count() == 1
    assert_no_exception(page)


def test_odd_text_stays_plain_text(page, server_url):
    text = "<b>bold</b> நான் 👩‍💻 it <script>alert(1)</script>"
    open_multi_head(page, server_url, f"sentence={quote(text)}&heads=1")
    assert page.locator(".st-key-mh_text input").input_value() == text
    assert page.locator("[data-testid='stMain'] b:text-is('bold')").count() == 0  # no markup from the user's text
    labels = page.locator(".st-key-mh_grid .xtick").evaluate_all("(ts) => ts.map((t) => t.textContent)")
    assert "<" in labels and "நான்" in labels and "👩‍💻" in labels
    assert_no_exception(page)
    screenshot(page, "multi_head_odd_text")
    page.locator(".st-key-mh_text input").fill("")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_text("Type a sentence above", exact=False).wait_for()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert_no_exception(page)
