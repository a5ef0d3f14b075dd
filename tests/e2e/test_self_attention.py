"""The Self-attention page in a real browser: renders, redraws on a control change, picks a word by clicking the
heatmap, restores a shared URL, and shows hostile text as plain text."""

import urllib.parse

import pytest

from benchmarks import keyboard
from tests.e2e.conftest import (
    assert_no_exception,
    changes,
    open_app_page,
    pill,
    screenshot,
    wait_for_app,
    watch_changes,
)

pytestmark = pytest.mark.e2e

URL = "self_attention"
CAT = "The cat sat on the mat because it was tired"


def caption_text(page) -> str:
    return page.get_by_text("of its attention on", exact=False).first.inner_text()


def heatmap(page):
    return page.locator('[data-testid="stPlotlyChart"]').first


def test_renders_with_heatmap_caption_and_no_exception(page, server_url):
    open_app_page(page, server_url, URL)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").first.inner_text().strip() == "Self-attention: every word looks at every word"
    assert page.locator(".js-plotly-plot").count() == 1  # the heatmap; the bars and the deep dives on request
    assert heatmap(page).locator(".hm").count() == 1  # Plotly drew the heatmap layer
    assert "ready puts 60% of its attention on report" in caption_text(page)  # the word the intro talks about
    assert_no_exception(page)
    screenshot(page, "self_attention")


def test_causal_toggle_redraws_and_click_picks_a_row(page, server_url):
    open_app_page(page, server_url, URL, "text=" + urllib.parse.quote(CAT))
    before = caption_text(page)
    title = heatmap(page).locator(".gtitle").text_content()
    page.locator("summary").filter(has_text="Settings").click()  # the settings are folded while at their defaults
    page.get_by_text("Causal mask", exact=True).click()
    page.wait_for_function("(b) => !document.body.innerText.includes(b)", arg=before, timeout=20_000)
    wait_for_app(page)
    assert "The causal mask hides the 2 words after it" in caption_text(page)
    assert heatmap(page).locator(".gtitle").text_content() == title
    assert "causal=1" in page.url
    # Click the cell in row 2 ("cat"): the chosen word follows. (The open settings push the heatmap down: bring it
    # into view first, as a learner would scroll to it.)
    heatmap(page).scroll_into_view_if_needed()
    box = heatmap(page).locator(".nsewdrag").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.15, box["y"] + box["height"] * (1.5 / 10)
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_function("() => document.body.innerText.includes('cat puts')", timeout=20_000)
    wait_for_app(page)
    assert caption_text(page).startswith("cat puts 100% of its attention on itself")  # causal: only "The" and itself
    assert "word=cat" in page.url
    assert_no_exception(page)
    screenshot(page, "self_attention_causal_clicked")


def test_shared_url_restores_view_then_each_tab_draws(page, server_url):
    query = urllib.parse.urlencode(dict(text="Apple was juicy", word="Apple", temp="0.6", pad="1",
                                        tab="The Apple problem"))
    open_app_page(page, server_url, URL, query)
    assert page.get_by_text("The static vector has", exact=False).count() == 1  # the tab from the URL is open
    assert caption_text(page).startswith("Apple puts")
    assert "padding token gets exactly 0%" in caption_text(page)
    assert_no_exception(page)
    screenshot(page, "self_attention_tab_apple")
    for tab, marker, name in (("Why divide by √d?", "raw scores spread", "sqrt_d"),
                              ("Edit the embeddings", "one row per token", "table")):
        page.locator(".st-key-sa_tab button", has_text=tab).click()
        page.get_by_text(marker, exact=False).first.wait_for(timeout=20_000)
        wait_for_app(page)
        assert "tab=" + urllib.parse.quote_plus(tab) in page.url or "tab=" + urllib.parse.quote(tab) in page.url
        assert_no_exception(page)
        screenshot(page, "self_attention_tab_" + name)


def test_hostile_text_is_shown_as_text(page, server_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    text = "<script>alert(1)</script> <img src=x onerror=alert(2)> தமிழ் 👍🏽"
    open_app_page(page, server_url, URL, "text=" + urllib.parse.quote(text))
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert page.get_by_text("onerror", exact=False).count() >= 1  # shown literally in the shaded sentence
    assert_no_exception(page)
    screenshot(page, "self_attention_hostile")


def test_a_word_reruns_its_view_alone_and_guess_first_hides_the_deep_dive_too(page, server_url):
    """The word's view is a fragment: picking a word leaves the deep dive below untouched (it does not depend on the
    word). Turning guess first on reruns the whole page, so the open deep dive, which shows the hidden row's
    weights, goes away with the row; a guess brings both back."""
    open_app_page(page, server_url, URL, urllib.parse.urlencode(dict(text=CAT, word="it", tab="Step by step")))
    # the deep dive's picker and its open chart; the select box's open list sets aria-hidden on the rest of the page
    # while it is open, which is not a redraw
    watch_changes(page, ['.st-key-sa_tab', '.st-key-sa_step_X'], ignored=("aria-hidden",))
    before = caption_text(page)
    keyboard.step_selectbox(page, "Word doing the looking", 0)  # "it" -> "was"
    page.wait_for_function("(b) => !document.body.innerText.includes(b)", arg=before, timeout=20_000)
    wait_for_app(page)
    assert caption_text(page).startswith("was puts")
    assert "word=was" in page.url
    assert changes(page) == 0

    page.get_by_text("Guess first", exact=True).click()
    page.get_by_text("is hidden", exact=False).first.wait_for(timeout=20_000)
    wait_for_app(page)
    assert page.locator(".st-key-sa_tab").count() == 0  # the deep dive would show the hidden row
    assert page.get_by_text("of its attention on").count() == 0
    pill(page, "Which word will", "cat").click()
    page.locator(".st-key-sa_tab").wait_for(timeout=20_000)
    wait_for_app(page)
    assert caption_text(page).startswith("was puts")
    assert_no_exception(page)
