"""A server's very first visitor may open a page URL directly (a teacher's shared link): the page must still run
inside the entry script, with its navigation and sidebar, not alone in Streamlit's legacy pages/ mode."""

import pytest

from benchmarks import keyboard
from tests.e2e.conftest import (
    assert_no_exception,
    changes,
    open_app_page,
    start_server,
    stop_server,
    wait_for_app,
    wait_healthy,
    watch_changes,
)

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


def test_a_page_widget_reruns_the_page_alone_every_time(page, server_url):
    """The entry script runs the page as a fragment: the page's own widgets rerun the page, again and again (Streamlit
    lets a page run once per run of the entry script), and leave the sidebar untouched; a sidebar widget still
    reruns everything."""
    open_app_page(page, server_url, "multi_head")
    watch_changes(page, ['[data-testid="stSidebar"]'])
    for heads in ("4", "2", "1", "8"):
        keyboard.pick_option(page, "mh_heads", (heads,), 0)
        page.wait_for_function("(h) => location.search.includes('heads=' + h)", arg=heads)
        wait_for_app(page)
        title = page.locator('.st-key-mh_grid .gtitle').first.text_content()
        assert title.startswith(f"{heads} head"), title  # the page drew the new count
        assert_no_exception(page)
    assert changes(page) == 0  # not rerun, not re-sent

    page.locator('[data-testid="stSidebar"]').get_by_text("Projector").first.click()  # the display mode
    page.wait_for_function("() => location.search.includes('display=')")
    wait_for_app(page)
    assert changes(page) > 0
    assert_no_exception(page)
