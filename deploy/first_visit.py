"""A first visit to a page, sooner: two things Streamlit's frontend would find out late, told in the page's HTML.

A class server (deploy/replica.py, so `python -m deploy.serve`) installs this before it starts; a plain
`streamlit run attention_playground.py` serves Streamlit's HTML unchanged and works the same, only later.

- **Where the server is.** Opened at /bottleneck, Streamlit's frontend does not know whether the app lives at / or at
  /bottleneck/, so it asks /bottleneck/_stcore/health first, gets a 404, waits 100 ms (its retry delay) and only
  then asks /_stcore/health and opens its WebSocket. For the playground's own page names the HTML says which
  (`window.__streamlit.BACKEND_BASE_URL`, the setting Streamlit reads for hosts that embed it). Any other path is
  left to Streamlit's own search, so a mistyped address still lands on its "page not found" and the home page.
- **Plotly before the chart.** Streamlit fetches Plotly.js, its largest script (4.7 MB), only when the first chart
  arrives, and compiling it then holds the browser's main thread while the rest of the page waits. On a
  page that opens with a chart (navigation.PageInfo.opens_with_chart) the HTML starts that import once the
  frontend has mounted: the module is the one Streamlit would load (same URL, evaluated once), fetched while the
  server runs the page's script. Pages without a chart at first (Class poll on a phone, Quiz, Math) do not load it.

`python -m benchmarks.cold_start --fresh-tab` measures a first visit on this server and on a plain one.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from playground.navigation import PAGES

_LOGGER = logging.getLogger(__name__)
PLOTLY_CHUNK_GLOB = "PlotlyChart.*.js"  # Streamlit's lazily loaded chart component, Plotly.js inside

# Runs in <head>, before Streamlit's own module script. __PAGES__: [[url_path, opens with a chart], ...] with "" for
# the app's root; __CHUNK__: the Plotly chunk's file name under static/js/, or null.
SCRIPT = """<script>(() => {
  const opensWithChart = new Map(__PAGES__), chunk = __CHUNK__;
  const page = location.pathname.split("/").pop();
  if (!opensWithChart.has(page)) return;
  const base = new URL("./", location.href).href;
  if (page) window.__streamlit = { BACKEND_BASE_URL: base, ...window.__streamlit };
  if (!chunk || !opensWithChart.get(page)) return;
  new MutationObserver((_, seen) => {
    if (!document.querySelector('[data-testid="stApp"]')) return;
    seen.disconnect();
    import(base + "static/js/" + chunk).catch(() => {});
  }).observe(document, { subtree: true, childList: true });
})();</script>"""


def page_table() -> list[tuple[str, bool]]:
    """[(url_path, opens with a chart)] for every page, and ("", ...) for the app's root, which shows the first page."""
    return [("", PAGES[0].opens_with_chart)] + [(p.url_path, p.opens_with_chart) for p in PAGES]


def first_visit_script(pages: list[tuple[str, bool]], plotly_chunk: str | None) -> str:
    """The inline <script> for index.html."""
    return SCRIPT.replace("__PAGES__", json.dumps(pages)).replace("__CHUNK__", json.dumps(plotly_chunk))


def with_script(index_html: str, script: str) -> str:
    """index_html with script first in its <head> (unchanged if it has none)."""
    head = index_html.find("<head>")
    if head < 0:
        return index_html
    at = head + len("<head>")
    return index_html[:at] + script + index_html[at:]


def plotly_chunk(static_dir: Path) -> str | None:
    """The file name of Streamlit's Plotly chunk in its static/js/, or None when there is not exactly one."""
    found = sorted((static_dir / "static" / "js").glob(PLOTLY_CHUNK_GLOB))
    return found[0].name if len(found) == 1 else None


def install() -> bool:
    """Serve Streamlit's index.html with the script above, from the next server started in this process. False (and
    Streamlit's HTML unchanged) when this Streamlit does not serve its frontend the way this was written for."""
    try:
        from starlette.responses import FileResponse, HTMLResponse
        from streamlit.web.server.starlette import starlette_static_routes as routes
    except ImportError:
        _LOGGER.warning("first_visit: Streamlit's Starlette server not found; index.html served unchanged")
        return False
    make_handler = getattr(routes, "create_streamlit_static_handler", None)
    if make_handler is None or getattr(make_handler, "first_visit", False):
        return make_handler is not None

    def handler_with_script(directory: str, base_url: str | None):
        handler = make_handler(directory, base_url)
        index_path = (Path(directory) / "index.html").resolve()
        if not index_path.is_file():
            return handler
        html = with_script(index_path.read_text(encoding="utf-8"),
                           first_visit_script(page_table(), plotly_chunk(Path(directory))))
        serve = handler.get_response

        async def get_response(path, scope):
            response = await serve(path, scope)
            if isinstance(response, FileResponse) and Path(response.path).resolve() == index_path:  # / and every page
                return HTMLResponse(html, headers={"Cache-Control": "no-cache"})
            return response

        handler.get_response = get_response
        return handler

    handler_with_script.first_visit = True
    routes.create_streamlit_static_handler = handler_with_script
    return True
