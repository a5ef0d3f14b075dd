"""The Lesson page and Guess first in a real browser: a lesson URL opens its step, Next and the arrow key move on and
update the address bar, answering a predict step reveals its row; on Self-attention a guess is made by clicking a
word. Screenshots at desktop size and on a 390x844 phone (no horizontal scrolling there)."""

import urllib.parse

import pytest

from tests.e2e.conftest import assert_no_exception, open_app_page, pill, screenshot, wait_text

pytestmark = pytest.mark.e2e

CAT = "The cat sat on the mat because it was tired"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def header(page) -> str:
    return page.locator("h2").first.inner_text().strip()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"


def test_lesson_url_opens_its_step_and_next_and_arrow_key_move_on(page, server_url):
    open_app_page(page, server_url, "lesson", "step=4")
    assert header(page).startswith("Step 4 of 13")
    screenshot(page, "lesson_step4")
    page.get_by_role("button", name="Next").last.click()
    wait_text(page, "Step 5 of 13")
    assert "step=5" in page.url
    page.locator("h1").first.click()  # focus the page, not a widget, so the arrow key reaches the shortcut
    page.keyboard.press("ArrowRight")
    wait_text(page, "Step 6 of 13")
    assert "step=6" in page.url
    assert_no_exception(page)


def test_lesson_predict_step_reveals_on_answer(page, server_url):
    open_app_page(page, server_url, "lesson", "step=7")
    assert header(page).startswith("Step 7 of 13")
    assert page.locator(".js-plotly-plot").count() == 1  # the heatmap, its row hidden; no bar chart yet
    pill(page, "look at most", "report").click()
    wait_text(page, "of its attention on")
    assert page.locator(".js-plotly-plot").count() == 2
    assert_no_exception(page)
    screenshot(page, "lesson_step7_answered")


def test_lesson_on_a_phone(phone, server_url):
    open_app_page(phone, server_url, "lesson", "step=11")
    assert header(phone).startswith("Step 11 of 13")
    no_sideways_scroll(phone)
    screenshot(phone, "lesson_step11_phone")


def top(locator) -> float:
    return locator.first.bounding_box()["y"]


def test_guess_first_on_self_attention_by_clicking_a_word(page, server_url):
    query = urllib.parse.urlencode(dict(guess="1", text=CAT, word="it"))
    open_app_page(page, server_url, "self_attention", query)
    wait_text(page, "is hidden")
    assert page.get_by_text("of its attention on").count() == 0
    # the question comes before the chart it hides: the switch and the choices above the heatmap
    heatmap = page.locator('[data-testid="stPlotlyChart"]')
    assert top(page.get_by_text("Guess first", exact=True)) < top(heatmap)
    assert top(page.get_by_text("Which word will", exact=False)) < top(heatmap)
    screenshot(page, "guess_hidden")
    scroll_before = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    pill(page, "Which word will", "cat").click()
    wait_text(page, "This session: 1 of 1 right")
    # the verdict stands next to the choices, in view, without the page scrolling away from them
    verdict = page.get_by_text("This session: 1 of 1 right", exact=False).first
    box, height = verdict.bounding_box(), page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)
    assert top(verdict) < top(heatmap)
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") == scroll_before
    assert page.get_by_text("of its attention on", exact=False).count() >= 1
    assert "guess=1" in page.url
    assert_no_exception(page)
    screenshot(page, "guess_revealed")


def test_guess_first_on_a_phone(phone, server_url):
    query = urllib.parse.urlencode(dict(guess="1", text=CAT, word="it"))
    open_app_page(phone, server_url, "self_attention", query)
    pill(phone, "Which word will", "mat").click()
    wait_text(phone, "This session: 0 of 1 right")
    no_sideways_scroll(phone)
    screenshot(phone, "guess_revealed_phone")
