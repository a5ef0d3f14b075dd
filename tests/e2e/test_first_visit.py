"""A class server (deploy/replica.py, so `python -m deploy.serve`) serves Streamlit's HTML with deploy/first_visit.py's
script: a first visit to one of the playground's pages goes straight to the server's health check (no probe of
/<page>/_stcore/health and its 100 ms wait), and a page that opens with a chart asks for Plotly and its modules at
once and runs it once its title shows. Everything else must behave as on a plain `streamlit run`."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from deploy import replica
from deploy.first_visit import (
    first_visit_script,
    module_graph,
    page_table,
    plotly_chunk,
    plotly_preload,
    static_imports,
    with_script,
)
from playground.navigation import PAGES
from tests.e2e.conftest import assert_no_exception, open_app_page, start_server, stop_server, wait_healthy

pytestmark = pytest.mark.e2e

STREAMLIT_STATIC = Path(__import__("streamlit").__file__).parent / "static"


def test_the_script_knows_every_page_and_which_open_with_a_chart():
    table = dict(page_table())
    assert table[""] is PAGES[0].opens_with_chart  # the app's root shows the first page
    assert {p.url_path for p in PAGES} <= table.keys()
    assert [p.url_path for p in PAGES if not p.opens_with_chart] == ["class_poll", "quiz", "math"]
    script = first_visit_script(page_table(), "PlotlyChart.abc.js", ["PlotlyChart.abc.js", "dep.js"])
    assert script.startswith("<script>") and script.endswith("</script>") and '"PlotlyChart.abc.js"' in script
    assert '["PlotlyChart.abc.js", "dep.js"]' in script and "__P" not in script  # all filled
    assert '["speed", true]' in script and '["quiz", false]' in script


def test_the_script_ends_the_head_and_goes_nowhere_without_one():
    """At the end of <head>: Streamlit's <meta charset> stays in the first bytes, and its module script, which runs
    once the document is parsed, still runs after the script."""
    assert with_script("<html><head><meta charset='UTF-8'><title>t</title></head>", "<script>s</script>") == \
        "<html><head><meta charset='UTF-8'><title>t</title><script>s</script></head>"
    assert with_script("<p>no head</p>", "<script>s</script>") == "<p>no head</p>"


def test_the_installed_streamlit_has_the_one_plotly_chunk_the_script_names(tmp_path):
    assert re.fullmatch(r"PlotlyChart\.[\w-]+\.js", plotly_chunk(STREAMLIT_STATIC) or "")
    (tmp_path / "static" / "js").mkdir(parents=True)
    assert plotly_chunk(tmp_path) is None  # a Streamlit laid out otherwise: no early import, nothing breaks


def test_static_imports_reads_a_built_modules_leading_import_statements():
    source = ('import{o as e,r as t}from"./rolldown-runtime.B1.js";import"./src.C2.js";import x from"./d.js";'
              'import*as y from"./e.js";var P=e(),q=import("./lazy.js"),s=`from"./not-an-import.js"`;')
    assert static_imports(source) == ["rolldown-runtime.B1.js", "src.C2.js", "d.js", "e.js"]  # not the lazy import
    assert static_imports("var a=1;import{b}from\"./late.js\";") == []  # only the leading statements


def test_module_graph_follows_imports_once_each_and_skips_files_that_are_not_there(tmp_path):
    (tmp_path / "a.js").write_text('import{x}from"./b.js";import"./c.js";var a;')
    (tmp_path / "b.js").write_text('import"./c.js";import"./a.js";import"./gone.js";var b;')  # a cycle, a missing file
    (tmp_path / "c.js").write_text("var c;")
    assert sorted(module_graph(tmp_path, "a.js")) == ["a.js", "b.js", "c.js"]
    assert module_graph(tmp_path, "a.js")[0] == "a.js"
    assert module_graph(tmp_path, "gone.js") == []


def test_the_preload_is_plotlys_chunk_and_what_it_imports_less_what_the_html_already_loads(tmp_path):
    (tmp_path / "Plot.js").write_text('import"./index.js";import"./extra.js";var p;')
    (tmp_path / "index.js").write_text('import"./extra.js";var i;')
    (tmp_path / "extra.js").write_text("var e;")
    html = '<script type="module" src="./static/js/index.js"></script>'
    assert plotly_preload(html, tmp_path, "Plot.js") == ["Plot.js", "extra.js"]
    assert plotly_preload(html, tmp_path, None) == []
    installed = STREAMLIT_STATIC / "static" / "js"
    chunk = plotly_chunk(STREAMLIT_STATIC)
    preload = plotly_preload((STREAMLIT_STATIC / "index.html").read_text(encoding="utf-8"), installed, chunk)
    assert preload[0] == chunk and all((installed / name).is_file() for name in preload)


@pytest.fixture(scope="module")
def class_server(chromium_path, tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("class_server") / "server.log", module=replica.__name__)
    try:
        wait_healthy(url, proc, 60)
        yield url
    finally:
        stop_server(proc)


@pytest.mark.parametrize("path", ["", "bottleneck", "quiz"])
def test_every_page_address_gets_the_script_even_from_a_browser_holding_an_older_copy(class_server, path):
    """A browser that cached the page from a plain `streamlit run` on the same address asks "changed since?": the
    answer is the page with the script, never a 304 that would keep the old copy."""
    request = urllib.request.Request(f"{class_server}/{path}",
                                     headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and response.headers["Cache-Control"] == "no-cache"
        assert "window.__streamlit" in response.read().decode()


def visit(browser, url: str, path: str) -> tuple[object, list[str]]:
    """A first visit in a fresh browser context: the page and every request path it made."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url.removeprefix(url)))
    open_app_page(page, url, path)
    return page, requests


def plotly_loads(requests: list[str]) -> int:
    return sum("/static/js/PlotlyChart." in r for r in requests)


def preloaded() -> list[str]:
    """The files the script preloads on a page with a chart, as the class server computes them."""
    index = (STREAMLIT_STATIC / "index.html").read_text(encoding="utf-8")
    return plotly_preload(index, STREAMLIT_STATIC / "static" / "js", plotly_chunk(STREAMLIT_STATIC))


@pytest.mark.parametrize("path", ["bottleneck", "self_attention"])
def test_a_page_with_a_chart_connects_at_once_and_loads_plotly_once(browser, class_server, path):
    page, requests = visit(browser, class_server, path)
    try:
        assert not [r for r in requests if r.startswith(f"/{path}/_stcore/")], requests  # no probe of the page path
        assert "/_stcore/health" in requests
        assert plotly_loads(requests) == 1  # the early import and Streamlit's own are one module
        assert all(requests.count(f"/static/js/{name}") == 1 for name in preloaded()), requests  # preload is reused
        assert page.locator(".js-plotly-plot .main-svg").count() >= 1
        assert page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == class_server + "/"
        assert_no_exception(page)
        page.locator('[data-testid="stSidebarNav"] a', has_text="Speed").click()
        page.wait_for_url(re.compile(r"/speed(\?|$)"))
        page.get_by_role("heading", name=re.compile("^Speed")).wait_for()
        assert_no_exception(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(("path", "loads_plotly"), [("speed", True), ("quiz", False)])
def test_plotly_is_fetched_by_the_script_before_any_chart_arrives(browser, class_server, path, loads_plotly):
    """With the server's WebSocket held silent, no chart ever arrives and Streamlit never asks for Plotly: a page
    that opens with a chart fetches it and its modules anyway (the script's preload), a page without one does not."""
    context = browser.new_context()
    page = context.new_page()
    page.route_web_socket(re.compile(r".*/_stcore/stream$"), lambda ws: None)  # open, never a message
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{class_server}/{path}")
        page.locator('[data-testid="stApp"]').wait_for(state="attached")
        if loads_plotly:
            page.wait_for_function("() => performance.getEntriesByType('resource')"
                                   ".some((e) => e.name.includes('/static/js/PlotlyChart.') && e.responseEnd > 0)")
        else:
            page.wait_for_timeout(3_000)
        assert plotly_loads(requests) == int(loads_plotly)
        assert page.locator(".js-plotly-plot").count() == 0  # nothing from the server: the import was the script's
        hinted = page.evaluate("() => [...document.querySelectorAll('link[rel=modulepreload]')]"
                               ".map((link) => link.href.split('/').pop())")
        assert set(preloaded()) <= set(hinted) if loads_plotly else not set(preloaded()) & set(hinted)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["quiz", "class_poll", "math"])
def test_a_page_without_a_chart_does_not_load_plotly(browser, class_server, path):
    page, requests = visit(browser, class_server, path)
    try:
        assert plotly_loads(requests) == 0
        assert not [r for r in requests if r.startswith(f"/{path}/_stcore/")], requests
        assert_no_exception(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["bottleneck", "math"])
def test_a_classroom_without_internet_loses_nothing(browser, class_server, path):
    """Every request stays on the server: fonts, formulas, charts and the tab's icon (inline SVG; a Material page icon
    was fetched from fonts.gstatic.com)."""
    page, requests = visit(browser, class_server, path)
    try:
        page.wait_for_timeout(500)  # the tab's icon is set after the first script run
        assert [r for r in requests if not r.startswith("/")] == []  # visit() strips the server's own address
        icons = page.evaluate("() => [...document.querySelectorAll('link[rel~=icon]')].map((link) => link.href)")
        assert icons and all(href.startswith("data:image/svg+xml") for href in icons)
    finally:
        page.context.close()


@pytest.mark.parametrize(("path", "title"), [("", "Attention Playground"), ("no_such_page", "Attention Playground")])
def test_the_root_and_an_unknown_path_behave_as_on_a_plain_server(browser, class_server, path, title):
    page, requests = visit(browser, class_server, path)
    try:
        assert page.locator("h1").first.inner_text().strip() == title
        assert page.evaluate("() => window.__streamlit === undefined")  # Streamlit finds the server its own way
        if path:  # an address that is none of ours: Streamlit's own search, as without the script
            assert f"/{path}/_stcore/health" in requests
        assert_no_exception(page)
    finally:
        page.context.close()
