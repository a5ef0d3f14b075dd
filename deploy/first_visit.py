"""A first visit to a page, sooner: two things Streamlit's frontend would find out late, told in the page's HTML.

A class server (deploy/replica.py, so `python -m deploy.serve`) installs this before it starts; a plain
`streamlit run attention_playground.py` serves Streamlit's HTML unchanged and works the same, only later.

- **Where the server is.** Opened at /bottleneck, Streamlit's frontend does not know whether the app lives at / or at
  /bottleneck/, so it asks /bottleneck/_stcore/health first, gets a 404, waits 100 ms (its retry delay) and only
  then asks /_stcore/health and opens its WebSocket. For the playground's own page names the HTML says which
  (`window.__streamlit.BACKEND_BASE_URL`, the setting Streamlit reads for hosts that embed it). A path whose last
  part is none of the playground's pages is left to Streamlit's own search, so a mistyped address still lands on
  the home page.
- **Plotly before the chart.** Streamlit fetches Plotly.js, its largest script (4.7 MB), only when the first chart
  arrives; then the browser parses it, finds the modules it imports, fetches those, and only then runs it, holding
  the main thread while the rest of the page waits. On a page that opens with a chart
  (navigation.PageInfo.opens_with_chart) the HTML asks for Plotly's chunk and the modules it imports at once
  (`<link rel="modulepreload">`: fetched and compiled while Streamlit's own scripts start) and runs it as soon as the
  page's title is on screen: the same URLs Streamlit imports, so each module is fetched and run once. Running Plotly
  costs the same; it starts while the server is still sending the page, so the chart is drawn sooner. Run
  earlier, as the frontend mounts, it held back the page's first words (`benchmarks.cold_start --fresh-tab`, title).
  Pages without a chart at first (Class poll on a phone, Quiz, Math) load none of it.

`python -m benchmarks.cold_start --fresh-tab` measures a first visit on this server and on a plain one.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

from playground.navigation import PAGES

_LOGGER = logging.getLogger(__name__)
PLOTLY_CHUNK_GLOB = "PlotlyChart.*.js"  # Streamlit's lazily loaded chart component, Plotly.js inside

# Runs in <head>, before Streamlit's own module script. __PAGES__: [[url_path, opens with a chart], ...] with "" for
# the app's root; __CHUNK__: the Plotly chunk's file name under static/js/, or null; __PRELOAD__: the files under
# static/js/ to fetch at once on a page that opens with a chart (the chunk and the modules it imports).
SCRIPT = """<script>(() => {
  const opensWithChart = new Map(__PAGES__), chunk = __CHUNK__, preload = __PRELOAD__;
  const page = location.pathname.split("/").pop();
  if (!opensWithChart.has(page)) return;
  const base = new URL("./", location.href).href;
  if (page) window.__streamlit = { BACKEND_BASE_URL: base, ...window.__streamlit };
  if (!chunk || !opensWithChart.get(page)) return;
  for (const file of preload) {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.crossOrigin = "";
    link.href = base + "static/js/" + file;
    document.head.append(link);
  }
  new MutationObserver((_, seen) => {
    if (!document.querySelector('[data-testid="stApp"] h1')) return;
    seen.disconnect();
    import(base + "static/js/" + chunk).catch(() => {});
  }).observe(document, { subtree: true, childList: true });
})();</script>"""
# A module's leading import statements: `import{a as b}from"./x.js";`, `import"./y.js";` (Streamlit's built chunks)
LEADING_IMPORT = re.compile(r'\s*import\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s*[\w$]+)?\s*(?:from\s*)?"\./([^"/]+)";?')
LEADING_CHARS = 20_000  # the import block of a chunk is a few hundred characters


def page_table() -> list[tuple[str, bool]]:
    """[(url_path, opens with a chart)] for every page, and ("", ...) for the app's root, which shows the first page."""
    return [("", PAGES[0].opens_with_chart)] + [(p.url_path, p.opens_with_chart) for p in PAGES]


def first_visit_script(pages: list[tuple[str, bool]], plotly_chunk: str | None, preload: Sequence[str] = ()) -> str:
    """The inline <script> for index.html; preload: files under static/js/ a page with a chart fetches at once."""
    return SCRIPT.replace("__PAGES__", json.dumps(pages)).replace("__CHUNK__", json.dumps(plotly_chunk)) \
        .replace("__PRELOAD__", json.dumps(list(preload)))


def static_imports(source: str) -> list[str]:
    """The sibling files a built module imports in its leading import statements, in order."""
    found, at = [], 0
    while match := LEADING_IMPORT.match(source, at):
        found.append(match.group(1))
        at = match.end()
    return found


def module_graph(js_dir: Path, entry: str) -> list[str]:
    """entry and every module it imports, directly or not, that is in js_dir: what running entry needs fetched."""
    seen: list[str] = []
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen or not (js_dir / name).is_file():
            continue
        seen.append(name)
        with open(js_dir / name, encoding="utf-8") as f:
            todo += static_imports(f.read(LEADING_CHARS))
    return seen


def plotly_preload(index_html: str, js_dir: Path, chunk: str | None) -> list[str]:
    """Plotly's chunk and the modules it imports, less those index.html already loads: the files to preload."""
    loaded = set(re.findall(r'static/js/([^"/]+)"', index_html))
    return [] if chunk is None else [name for name in module_graph(js_dir, chunk) if name not in loaded]


def with_script(index_html: str, script: str) -> str:
    """index_html with script at the end of its <head> (unchanged if it has none). Streamlit's own module script
    runs only once the document is parsed, so the script still runs before it."""
    end = index_html.find("</head>")
    return index_html if end < 0 else index_html[:end] + script + index_html[end:]


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
    if make_handler is None:
        _LOGGER.warning("first_visit: Streamlit's static handler factory not found; index.html served unchanged")
        return False
    if getattr(make_handler, "first_visit", False):
        return True

    def handler_with_script(directory: str, base_url: str | None):
        handler = make_handler(directory, base_url)
        index_path = os.path.abspath(os.path.join(directory, "index.html"))
        if not os.path.isfile(index_path):
            return handler
        with open(index_path, encoding="utf-8") as f:
            html = f.read()
        chunk = plotly_chunk(Path(directory))
        preload = plotly_preload(html, Path(directory) / "static" / "js", chunk)
        html = with_script(html, first_visit_script(page_table(), chunk, preload))
        serve = handler.get_response

        async def get_response(path, scope):
            response = await serve(path, scope)
            # The app's HTML: for the root (".", answered even when the browser holds an older copy: a 304 would
            # keep it) and for every page path (Streamlit answers those with the same file).
            if path == "." or (isinstance(response, FileResponse) and os.path.abspath(response.path) == index_path):
                return HTMLResponse(html, headers={"Cache-Control": "no-cache"})
            return response

        handler.get_response = get_response
        return handler

    handler_with_script.first_visit = True
    routes.create_streamlit_static_handler = handler_with_script
    return True
