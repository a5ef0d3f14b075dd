"""The Reordering page in a real browser: the blog's sentence with its learned and naive alignments and the reading
guide, a typed sentence with an unknown word named, and the raw-scores toggle redrawing the scoring heatmaps."""

import pytest

from tests.e2e.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def open_reordering(page, server_url: str, query: str = "") -> None:
    # A fresh server whose first visitor opens a deep link never runs the entry script (Streamlit's legacy pages/
    # mode, see the report): open the home page first so the navigation is the app's own.
    page.goto(server_url)
    wait_for_app(page, 60_000)
    page.goto(f"{server_url}/reordering{('?' + query) if query else ''}")
    wait_for_app(page, 120_000)


def test_reordering_renders_the_blog_sentence(page, server_url):
    open_reordering(page, server_url)
    assert "order" in page.locator("h1").first.inner_text().lower()
    assert page.locator(".js-plotly-plot").count() == 1  # the left-to-right boxes sit on it; the scorings on request
    assert page.get_by_text("looks mostly at அனுப்ப", exact=False).count() == 1
    assert_no_exception(page)
    screenshot(page, "reordering")


def test_typed_unknown_word_is_named(page, server_url):
    open_reordering(page, server_url, "src=type&text=" + "நாளைக்குள் அந்த banana-ஐ அனுப்ப முடியுமா")
    warning = page.locator('[data-testid="stAlert"]').first
    assert "banana-ஐ" in warning.inner_text()
    assert page.locator(".js-plotly-plot").count() == 0
    assert_no_exception(page)
    screenshot(page, "reordering_unknown_word")


def test_raw_scores_toggle_redraws(page, server_url):
    open_reordering(page, server_url, "src=test&len=12&scorings=1")  # a scoring's heatmap drawn on request
    page.get_by_text("Show the scores before softmax instead of the weights").click()
    page.wait_for_function("() => location.search.includes('raw=1')", timeout=30_000)
    wait_for_app(page)
    assert page.locator(".js-plotly-plot").count() == 2
    assert page.locator(".colorbar .cbtitle").filter(has_text="score").count() == 1
    page.locator(".st-key-ro_scoring button", has_text="scaled dot").click()  # flip to another scoring
    page.wait_for_function("() => location.search.includes('scoring=scaled')", timeout=30_000)
    wait_for_app(page)
    assert page.locator(".st-key-ro_scoring_chart .gtitle").first.text_content().startswith("scaled dot score")
    assert_no_exception(page)
    screenshot(page, "reordering_raw_scores")
