"""A server's very first visitor may open a page URL directly (a teacher's shared link): the page must still run
inside the entry script, with its navigation and sidebar, not alone in Streamlit's legacy pages/ mode."""

import pytest

from tests.e2e.conftest import _wait_healthy, assert_no_exception, open_app_page, start_server, stop_server

pytestmark = pytest.mark.e2e


def test_first_visit_to_a_page_url_gets_the_full_app(page, chromium_path, tmp_path):
    proc, url = start_server(tmp_path / "server.log")  # a fresh server: nobody has opened "/" yet
    try:
        _wait_healthy(url, proc, 60)
        open_app_page(page, url, "quiz")
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Why attention" in nav and "Home" in nav, nav  # the entry's sections, not a file listing
        assert "attention playground" not in nav.lower().replace("attention playground\n", "")
        assert page.locator("h1").first.inner_text().strip() == "Check yourself"
        assert_no_exception(page)
    finally:
        stop_server(proc)
