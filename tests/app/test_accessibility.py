"""Accessibility of every chart on every page in the navigation: a chart says what it shows (title), what its axes
are (axis titles, on charts with x and y axes), and never leaves a number to colour alone (a small heatmap prints
its values on the cells; every heatmap has hover text).

Two rules of drawing cost ride along, because a slow chart is one a class waits for: heatmaps have no gaps between
cells, and no axis or colour bar has Plotly measure its tick labels for overflow (playground/figures/look.py).

Charts inside stateful tabs are checked too: the test opens every tab, nested ones included.
"""

from __future__ import annotations

import re

import pytest

from playground.navigation import PAGES
from tests.app.fuzz_support import Session, chart_specs, plain, visit_all_tabs

CARTESIAN = frozenset({"scatter", "scattergl", "bar", "heatmap", "histogram", "box", "violin", "contour",
                       "histogram2d", "histogram2dcontour", "image", "waterfall", "funnel", "candlestick", "ohlc"})
CELL_TEXT_LIMIT = 12  # docs/ARCHITECTURE.md: numbers on the cells of heatmaps up to 12 x 12
AXIS = re.compile(r"^([xy])axis(\d*)$")


def title_text(title) -> str:
    if isinstance(title, dict):
        title = title.get("text", "")
    return str(title or "").strip()


def every_chart(path: str) -> list[tuple[str, dict]]:
    """(name, figure spec) of every chart the page can show across all its tab states."""
    charts: dict[str, dict] = {}
    for at in visit_all_tabs(Session(path)):
        for name, spec in chart_specs(at):
            charts.setdefault(name, spec)
    return list(charts.items())


def axis_titles(spec: dict) -> dict[str, list[str]]:
    """For 'x' and 'y': the titles of the axes that traces use and that are visible."""
    layout = spec.get("layout", {})
    used = {(t.get("xaxis") or "x", t.get("yaxis") or "y") for t in spec.get("data", [])}
    out: dict[str, list[str]] = {"x": [], "y": []}
    for ref in {r for pair in used for r in pair}:
        letter, number = ref[0], ref[1:]
        axis = layout.get(f"{letter}axis{number}", {})
        if axis.get("visible", True) is False:
            continue
        out[letter].append(title_text(axis.get("title")))
    return out


def chart_findings(name: str, spec: dict) -> list[str]:
    found = []
    if not title_text(spec.get("layout", {}).get("title")):
        found.append(f"chart {name} has no title")
    traces = spec.get("data", [])
    if any(t.get("type", "scatter") in CARTESIAN for t in traces):
        for letter, titles in axis_titles(spec).items():
            if titles and not any(titles):
                found.append(f"chart {name}: no {letter} axis title")
    hovers = [t for t in traces if t.get("hoverinfo") not in ("skip", "none")]
    for i, trace in enumerate(traces):
        if trace.get("type") != "heatmap":
            continue
        if not hovers:  # a heatmap may hand its hover to a transparent layer above it
            found.append(f"chart {name}: heatmap {i} has no hover text, so its numbers are colour only")
        z = plain(trace.get("z")) or []
        small = 0 < len(z) <= CELL_TEXT_LIMIT and all(len(row) <= CELL_TEXT_LIMIT for row in z)
        has_text = bool(trace.get("texttemplate") or plain(trace.get("text")))
        if small and not has_text:
            found.append(f"chart {name}: heatmap {i} is {len(z)} x {len(z[0])} but prints no values on its cells")
        if trace.get("xgap") or trace.get("ygap"):  # playground/figures/base.py: why heatmaps have no gaps
            found.append(f"chart {name}: heatmap {i} has gaps between cells, so the browser paints it cell by cell")
    return found + overflow_findings(name, spec)


def overflow_findings(name: str, spec: dict) -> list[str]:
    """Axes and colour bars whose tick labels Plotly would measure for overflow (n^2 forced layouts per draw)."""
    layout = spec.get("layout", {})
    places = {key: axis for key, axis in layout.items()
              if AXIS.match(key) and isinstance(axis, dict) and axis.get("visible", True) is not False}
    places |= {f"{key}.colorbar": axis.get("colorbar", {}) for key, axis in layout.items()
               if key.startswith("coloraxis") and isinstance(axis, dict)}
    places |= {f"trace {i} colorbar": t["colorbar"] for i, t in enumerate(spec.get("data", []))
               if isinstance(t.get("colorbar"), dict)}
    return [f"chart {name}: {where} measures its tick labels for overflow (set ticklabeloverflow='allow')"
            for where, axis in places.items() if axis.get("ticklabeloverflow") != "allow"]


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_every_chart_has_a_title_axis_titles_and_numbers_beyond_colour(path):
    charts = every_chart(path)
    found = [f for name, spec in charts for f in chart_findings(name, spec)]
    assert not found, f"{path}:\n  " + "\n  ".join(found)


def test_the_checks_catch_what_they_should():
    bare = {"data": [{"type": "bar", "x": [1], "y": [2]}], "layout": {}}
    assert len(chart_findings("c", bare)) == 3
    good = {"data": [{"type": "heatmap", "z": [[1, 2]], "texttemplate": "%{z}"}],
            "layout": {"title": {"text": "T"}, "xaxis": {"title": {"text": "key"}, "ticklabeloverflow": "allow"},
                       "yaxis": {"title": "query", "ticklabeloverflow": "allow"}}}
    assert chart_findings("c", good) == []
    measured = {"data": [{**good["data"][0], "colorbar": {}}],
                "layout": {**good["layout"], "xaxis": {"title": {"text": "key"}}, "coloraxis": {}}}
    assert len(chart_findings("c", measured)) == 3  # the x axis, the colour axis's bar, the trace's bar
    colour_only = {"data": [{"type": "heatmap", "z": [[1, 2]], "hoverinfo": "skip"}], "layout": good["layout"]}
    assert len(chart_findings("c", colour_only)) == 2
    hover_layer = {"data": [*colour_only["data"], {"type": "scatter", "x": [0], "y": [0], "hovertemplate": "%{x}"}],
                   "layout": good["layout"]}
    assert len(chart_findings("c", hover_layer)) == 1  # only the missing cell values
    gapped = {"data": [{**good["data"][0], "xgap": 1}], "layout": good["layout"]}
    assert len(chart_findings("c", gapped)) == 1
    pie = {"data": [{"type": "pie", "values": [1, 2]}], "layout": {"title": "Shares"}}
    assert chart_findings("c", pie) == []
    hidden = {"data": [{"type": "scatter", "x": [1], "y": [1]}],
              "layout": {"title": "T", "xaxis": {"visible": False}, "yaxis": {"visible": False}}}
    assert chart_findings("c", hidden) == []
