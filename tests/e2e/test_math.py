"""The Math page in a real browser: a section opened from its URL renders with its worked example, no exception."""

import pytest

from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot

pytestmark = pytest.mark.e2e


def test_math_section_from_url(page, server_url):
    open_app_page(page, server_url, "math", "section=scaled-dot-product-attention")
    assert page.locator("h1").first.inner_text().strip() == "The math behind the demos"
    assert page.get_by_role("heading", name="Scaled dot-product attention").count() >= 1
    assert page.locator("pre").count() >= 1  # the worked examples are code blocks
    assert "<!--" not in page.locator('[data-testid="stMain"]').inner_text()
    assert_no_exception(page)
    screenshot(page, "math")
