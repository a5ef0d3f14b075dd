"""The home page in a real browser: it renders, shows its title and the live softmax taste, with no exception."""

import pytest

from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_home_renders_with_title_and_no_exception(page, server_url):
    open_app_page(page, server_url)
    assert page.locator("h1").first.inner_text().strip() == "Attention Playground"
    assert page.locator(".js-plotly-plot").count() >= 1
    assert_no_exception(page)
    screenshot(page, "home")


def test_home_slider_moves_the_shares(page, server_url):
    open_app_page(page, server_url)
    caption = page.get_by_text("of the attention.", exact=False).first
    before = caption.inner_text()
    slider = page.get_by_role("slider").nth(1)  # the 'Cooking' shelf
    slider.focus()
    for _ in range(14):  # 0.5 -> 5.0 in steps of 0.5 with the keyboard
        page.keyboard.press("ArrowRight")
    wait_for_app(page)
    page.wait_for_function("(b) => !document.body.innerText.includes(b)", arg=before, timeout=15_000)
    assert "Cooking" in caption.inner_text()
    assert_no_exception(page)
