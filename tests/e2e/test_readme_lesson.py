"""The README's "A lesson in five steps", followed word for word in a real browser: each step names a page and what
to do there, and each action does what the README says it shows. If the README's words change, the test that reads
them fails first (the steps are parsed from the README, not copied here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import assert_no_exception, open_app_page, wait_for_app, wait_text

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"


def lesson_steps() -> list[tuple[str, str]]:
    """[(page, what to do)] from the README's bullet, in order."""
    text = README.read_text()
    start = text.index("**A lesson in five steps:**")
    bullet = " ".join(text[start:text.index("\n\n", start)].split())
    body = bullet.split(":**", 1)[1].split(". The Quiz", 1)[0]
    return [(m.group(1).strip(), m.group(2)) for m in re.finditer(r"([A-Z][\w-]+) \(((?:[^()]|\([^)]*\))*)\)", body)]


def test_the_readme_names_five_steps_on_five_pages():
    assert [p for p, _ in lesson_steps()] == ["Bottleneck", "Reordering", "Speed", "Self-attention", "Multi-head"]


def test_following_the_readme_lesson_word_for_word(page, server_url):
    steps = dict(lesson_steps())

    # Bottleneck: "drag ρ below and above 1" -- the influence sentence follows the slider
    assert steps["Bottleneck"] == "drag ρ below and above 1"
    open_app_page(page, server_url, "bottleneck", "rho=0.9")
    slider = page.get_by_role("slider").nth(1)
    slider.focus()
    for _ in range(8):  # 0.90 -> 1.30 in steps of 0.05
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('rho=1.3')", timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)

    # Reordering: "read the heatmap against the dotted left-to-right boxes" -- the boxes are drawn on the heatmap
    assert steps["Reordering"] == "read the heatmap against the dotted left-to-right boxes"
    open_app_page(page, server_url, "reordering")
    assert page.locator(".st-key-ro_learned .js-plotly-plot").count() == 1
    boxes = page.evaluate("() => document.querySelector('.st-key-ro_learned .js-plotly-plot').layout.shapes"
                          ".filter(s => s.line.dash === 'dot').length")
    assert boxes == len(page.evaluate("() => document.querySelector('.st-key-ro_learned .js-plotly-plot').layout"
                                      ".yaxis.ticktext"))  # one box per English word
    assert_no_exception(page)

    # Speed: "let it measure, then move P" -- the workers model redraws
    assert steps["Speed"] == "let it measure, then move P"
    open_app_page(page, server_url, "speed", "n=512&d=64")
    caption = page.get_by_text("workers the model gives the RNN", exact=False).first
    before = caption.inner_text()
    page.get_by_role("slider").nth(2).focus()  # n, d, then P
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(b) => !document.body.innerText.includes(b)", arg=before, timeout=60_000)
    assert_no_exception(page)

    # Self-attention: 'it opens on "ready"; then pick the example "Animal and street: what is 'it'?" and click "it"'
    said = steps["Self-attention"]
    opens_on = re.search(r'opens on "([^"]+)"', said).group(1)
    example = re.search(r'example "([^"]+)"', said).group(1)
    clicked = re.search(r'click "([^"]+)"', said).group(1)
    open_app_page(page, server_url, "self_attention")
    wait_text(page, f"{opens_on} puts", 60_000)
    page.get_by_role("radio", name=example, exact=True).click()
    wait_text(page, "animal", 60_000)
    page.locator(".st-key-sa_query").click()
    page.get_by_role("option", name=re.compile(rf"^{clicked}\b")).first.click()
    wait_text(page, f"{clicked} puts", 60_000)
    assert_no_exception(page)

    # Multi-head: 'follow "it" through the heads' -- the page follows "it" in every head
    followed = re.search(r'follow "([^"]+)"', steps["Multi-head"]).group(1)
    open_app_page(page, server_url, "multi_head")
    assert page.locator(".st-key-mh_word").inner_text().find(followed) >= 0
    wait_text(page, f"One word, every head: {followed}", 60_000)
    assert_no_exception(page)
