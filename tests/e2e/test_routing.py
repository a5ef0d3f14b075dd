"""A server's very first visitor may open a page URL directly (a teacher's shared link): the page must still run
inside the entry script, with its navigation and sidebar, not alone in Streamlit's legacy pages/ mode."""

import pytest

from tests.e2e.conftest import assert_no_exception, open_app_page, start_server, stop_server, wait_healthy

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("url_path", "title"), [("quiz", "Check yourself"),
                                                ("self_attention", "Self-attention: every word looks at every word")])
def test_first_visit_to_a_page_url_gets_the_full_app(page, chromium_path, tmp_path, url_path, title):
    proc, url = start_server(tmp_path / "server.log")  # a fresh server: nobody has opened "/" yet
    try:
        wait_healthy(url, proc, 60)
        open_app_page(page, url, url_path)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Why attention" in nav and "Home" in nav, nav  # the entry's sections, not a file listing
        assert page.locator("h1").first.inner_text().strip() == title
        assert page.get_by_text("Page not found").count() == 0  # no legacy-mode notice over the page
        assert_no_exception(page)
    finally:
        stop_server(proc)
