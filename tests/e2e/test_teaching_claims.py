"""The pages' teaching claims in a real browser, desktop and phone: the newsletter softmax check on Home, the
position norms on Self-attention, the one-step growth and the U-shaped curve on Bottleneck, and Table 1 beside the
measured curve on Speed. Each section is saved as a screenshot of just that block, to be looked at."""

import pytest

from tests.e2e.conftest import SCREENSHOTS, assert_no_exception, open_app_page, wait_for_app

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# (name, url path, query, text that must be on screen, how many pixels from it to capture)
SECTIONS = (
    ("claims_home_softmax", "", "", "Check the claim.", 260),
    ("claims_self_attention_norms", "self_attention", "text=The+cat+sat+on+the+mat+because+it+was+tired&pos=true",
     "Every position vector has norm", 300),
    ("claims_bottleneck_rho", "bottleneck", "len=20&rho=1.5", "largest singular value", 700),
    ("claims_speed_where_it_led", "speed", "n=256&d=32&led=1", "an RNN with attention is still an RNN", 1500),
)


def capture(page, name: str, needle: str, height: int) -> None:
    """Screenshot `height` pixels of the page from just above the text `needle`, the window grown to the whole page
    first (Streamlit scrolls inside its own container)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(full, size["height"]), 12_000)})
    page.wait_for_timeout(500)
    box = page.get_by_text(needle, exact=False).first.bounding_box()
    top = max(box["y"] - 40, 0)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True,
                    clip={"x": 0, "y": top, "width": size["width"], "height": height})
    page.set_viewport_size(size)


@pytest.mark.parametrize(("name", "path", "query", "needle", "height"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_corrected_claims_render(page, server_url, name, path, query, needle, height):
    open_app_page(page, server_url)  # the root first, so a deep link runs inside the entry (see test_speed)
    page.goto(f"{server_url}/{path}?{query}")
    wait_for_app(page, timeout_ms=120_000)  # a first visit to Bottleneck evaluates the held-out set
    assert page.get_by_text(needle, exact=False).count() >= 1
    assert_no_exception(page)
    capture(page, f"{name}_desktop", needle, height)
    page.set_viewport_size(PHONE)  # the same page reflowed, without loading it again
    wait_for_app(page)
    assert_no_exception(page)
    capture(page, f"{name}_phone", needle, height)
