"""Keyboard only, in Chromium: on the self-attention page every kind of control can be reached with Tab and changed
with keys, and the main heatmap redraws. No mouse, no element.focus(): a visitor who cannot use a pointer gets the
same page as everyone else.
"""

from __future__ import annotations

import json

import pytest

from tests.app.fuzz_support import plain
from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

URL_PATH = "self_attention"
HEATMAP = ".st-key-sa_heatmap .js-plotly-plot"
MAX_TABS = 80  # more than the page's focusable elements before its deep-dive buttons


def focused(page) -> dict:
    """What has the keyboard focus: tag, role, type, aria-label and the Streamlit widget around it."""
    return page.evaluate(
        """() => { const e = document.activeElement;
                   const w = e && e.closest('[data-testid^="st"]');
                   return { tag: e.tagName, role: e.getAttribute('role'), type: e.getAttribute('type'),
                            label: e.getAttribute('aria-label') || '', text: (e.innerText || '').trim().slice(0, 60),
                            widget: w ? w.dataset.testid : '', value: e.value ?? null }; }"""
    )


def tab_to(page, describe: str, match, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies `match`; fail after MAX_TABS presses."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if match(now):
            return now
        seen.append(f"{now['tag']}:{now['label'] or now['text']}"[:40])
    pytest.fail(f"Tab never reached {describe}; focus went through {seen}")


# The heatmap's traces as the page holds them: [z, x, y, text] per trace (arrays may be Plotly's base64 'bdata')
TRACES_JS = """(sel) => { const g = document.querySelector(sel);
    return g && g.data ? JSON.stringify(g.data.map(t => [t.z, t.x, t.y, t.text])) : ''; }"""


def trace(data: str, i: int = 0) -> list:
    """[z, x, y, text] of trace i, as plain lists."""
    return [plain(v) for v in json.loads(data)[i]]


def heatmap_data(page) -> str:
    return page.evaluate(TRACES_JS, HEATMAP)


def wait_for_new_heatmap(page, before: str) -> str:
    page.wait_for_function(f"([sel, before]) => ({TRACES_JS})(sel) !== before", arg=[HEATMAP, before],
                           timeout=30_000)
    wait_for_app(page)
    return heatmap_data(page)


def open_with_keyboard(page, server_url) -> None:
    open_app_page(page, server_url, URL_PATH)
    # Any dialog in the way (a fresh server once showed a spurious "Page not found" to the first deep link, before
    # URL paths matched the page files' stems) is closed with Escape, as a keyboard user would.
    if page.locator('[data-testid="stDialog"]').count():
        page.keyboard.press("Escape")
        page.locator('[data-testid="stDialog"]').wait_for(state="detached", timeout=10_000)
    page.locator("h1").first.wait_for()


def test_slider_toggle_and_select_box_by_keyboard(page, server_url):
    open_with_keyboard(page, server_url)
    start = heatmap_data(page)
    assert start

    # the settings sit folded in an expander (phones reach the heatmap first): Enter on its summary opens it
    tab_to(page, "the settings expander", lambda f: f["tag"] == "SUMMARY" and "Settings" in f["text"])
    page.keyboard.press("Enter")
    page.locator('[data-testid="stSlider"]', has_text="Temperature").wait_for()  # built once the section is open
    slider = tab_to(page, "the temperature slider", lambda f: f["type"] == "range" and f["label"] == "Temperature")
    page.keyboard.press("End")  # the slider's far end
    after_slider = wait_for_new_heatmap(page, start)
    assert focused(page)["value"] != slider["value"]
    assert "temp=5" in page.url

    tab_to(page, "the causal-mask switch", lambda f: f["role"] == "switch" and f["label"].startswith("Causal mask"))
    page.keyboard.press("Space")
    after_toggle = wait_for_new_heatmap(page, after_slider)
    assert "causal=1" in page.url
    # with the mask, the first word looks only at itself: its row of weights is 1 then zeros
    first_row = trace(after_toggle)[0][0]
    assert first_row[0] == pytest.approx(1.0) and all(w == 0 for w in first_row[1:] if w is not None)

    combo = tab_to(page, "the word selector", lambda f: f["role"] == "combobox" and "looking" in f["label"])
    assert combo["widget"] == "stSelectbox"
    page.keyboard.type("client")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('word=client')", timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "keyboard_self_attention")


def test_text_area_and_deep_dives_by_keyboard(page, server_url):
    open_with_keyboard(page, server_url)
    start = heatmap_data(page)

    tab_to(page, "the sentence box", lambda f: f["tag"] == "TEXTAREA" and f["label"] == "Your sentence")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("The cat sat because it was tired")
    page.keyboard.press("ControlOrMeta+Enter")  # Streamlit's shortcut to apply a text area
    after = wait_for_new_heatmap(page, start)
    assert after
    labels = page.evaluate("(sel) => document.querySelector(sel).layout.xaxis.ticktext", HEATMAP)
    assert any("cat" in str(w) for w in labels) and any("tired" in str(w) for w in labels), labels

    tab_to(page, "the deep-dive buttons", lambda f: f["tag"] == "BUTTON" and f["text"] == "Step by step")
    page.keyboard.press("ArrowRight")  # one tab stop for the group: the arrow keys move between its buttons
    assert focused(page)["text"].startswith("Why divide")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('tab=Why')", timeout=30_000)
    page.get_by_text("raw scores spread", exact=False).first.wait_for(timeout=20_000)  # the deep dive opened
    assert_no_exception(page)
