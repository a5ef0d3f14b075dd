"""Streamlit's chart look written into the spec: step 3 of the chart pipeline (see render.py for why and what
comes before and after).

Per x and y axis, per colour axis, for the title (bold, as the theme makes it), legends, hover labels and margins, the
theme's values go under the chart's own; the spec carries no `template` and a fixed `datarevision` (a changed chart
is a new Streamlit element, drawn from scratch anyway): sent with st.plotly_chart(theme=None), nothing is left for
a theme pass in the browser to redraw.

The values are what Streamlit 1.67's theme resolves to under this app's light theme (read from a rendered chart's
layout.template); the colours are palette roles.
"""

from __future__ import annotations

import re
from typing import Any

from .palette import AXIS_LINES, AXIS_TEXT, HOVER_BORDER, LEGEND_TEXT, PAPER, TITLE_TEXT, TRANSPARENT

__all__ = ["LOOK", "with_look"]

FAMILY = 'sans-serif, Noto Sans Tamil, "Source Sans", sans-serif'  # config.toml's font, then Streamlit's own
_TICKS = dict(color=AXIS_TEXT, size=12)
_AXIS_TITLE = dict(color=AXIS_TEXT, size=14)
# ticklabeloverflow="allow": Plotly's default on a numeric axis ("hide past div") measures every tick label against
# the chart once per label drawn, n^2 bounding boxes, each a forced layout of a page Streamlit is still changing. In a
# Chromium CPU profile of the Bottleneck page's "another sentence" press, those measurements took 78 ms; with them
# off, forced layouts took 52-57 ms instead of 104 (the rest moves to the next frame, so the settle time gains less):
# python -m benchmarks.browser_profile --page pages/bottleneck.py --control "button: another held-out sentence".
# The margins already make room for the labels (figures/margins.py): nothing overflows to hide.
_AXIS = dict(zerolinecolor=AXIS_LINES, gridcolor=AXIS_LINES, tickcolor=AXIS_LINES, tickfont=_TICKS,
             minor=dict(gridcolor=AXIS_LINES), automargin=True, ticklabeloverflow="allow")
LOOK: dict[str, Any] = {  # layout key (or key pattern's base) -> the theme's values there
    "font": dict(color=AXIS_TEXT, family=FAMILY, size=12, weight=400),
    # bold as the theme makes it (it wraps the text in <b>; a font weight leaves the text as the builder wrote it)
    "title": dict(font=dict(family=FAMILY, size=16, color=TITLE_TEXT, weight=700), pad=dict(l=4), xanchor="left",
                  x=0),
    "legend": dict(title=dict(font=dict(size=12, color=AXIS_TEXT), side="top"), valign="top",
                   bordercolor=TRANSPARENT, borderwidth=0, font=dict(size=12, color=LEGEND_TEXT)),
    "paper_bgcolor": PAPER,
    "plot_bgcolor": PAPER,
    "xaxis": {**_AXIS, "showgrid": False, "zeroline": False, "title": dict(font=_AXIS_TITLE, standoff=20)},
    "yaxis": {**_AXIS, "ticklabelposition": "outside", "title": dict(font=_AXIS_TITLE, standoff=24)},
    "margin": dict(pad=8, r=0, l=0),
    "hoverlabel": dict(bgcolor=PAPER, bordercolor=HOVER_BORDER, font=dict(color=AXIS_TEXT, family=FAMILY, size=12)),
    "coloraxis": dict(colorbar=dict(thickness=16, xpad=24, ticklabelposition="outside", outlinecolor=TRANSPARENT,
                                    outlinewidth=8, len=0.75, y=0.5745, title=dict(font=_AXIS_TITLE),
                                    tickfont=_TICKS, ticklabeloverflow="allow")),
}
_NUMBERED = re.compile(r"^(xaxis|yaxis|coloraxis|legend)\d*$")  # the theme's value for "xaxis" goes to xaxis2 too
_CARTESIAN = {"heatmap", "bar", "scatter", "histogram", "box", "violin", "contour"}


def _under(theme: Any, own: Any) -> Any:
    """`own` with `theme`'s values filled in where it has none (dicts merged key by key; `own` wins). New dicts."""
    if not isinstance(theme, dict) or not isinstance(own, dict):
        return theme if own is None else own
    out = dict(theme)
    for key, value in own.items():
        out[key] = _under(theme.get(key), value)
    return out


def _titled(container: Any) -> Any:
    """A container whose `title` is a plain string, with that title as {"text": ...} (so the theme's font merges in)."""
    if isinstance(container, dict) and isinstance(container.get("title"), str):
        return {**container, "title": {"text": container["title"]}}
    return container


def _used_axes(data: list[dict]) -> set[str]:
    """Layout keys of the axes and colour axes the traces draw on (a trace names "x2", the layout "xaxis2")."""
    used = set()
    for trace in data:
        if trace.get("type", "scatter") in _CARTESIAN:
            used |= {"xaxis" + str(trace.get("xaxis", "x"))[1:], "yaxis" + str(trace.get("yaxis", "y"))[1:]}
        if isinstance(trace.get("coloraxis"), str):
            used.add(trace["coloraxis"])
    return used


def with_look(spec: dict) -> dict:
    """The spec as Streamlit's theme would show it, to be sent with theme=None: a new dict (the input, maybe a cached
    and shared one, is not touched), no template, a fixed datarevision. Its margins come next (margins.py)."""
    layout = {k: v for k, v in (spec.get("layout") or {}).items() if k != "template"}
    data = spec.get("data") or []
    for key in set(layout) | _used_axes(data):
        match = _NUMBERED.match(key)
        if match:
            layout[key] = _under(LOOK[match[1]], _titled(layout.get(key)) or {})
    layout = _titled(layout)
    for key in ("font", "title", "legend", "paper_bgcolor", "plot_bgcolor", "margin", "hoverlabel"):
        layout[key] = _under(LOOK[key], layout.get(key))
    layout["datarevision"] = 0
    data = [_colorbar_allowed(trace) for trace in data]
    return {**spec, "data": data, "layout": layout}


def _colorbar_allowed(trace: dict) -> dict:
    """A trace's own colour bar with its tick labels never measured for overflow (see _AXIS); other traces as they are."""
    if not isinstance(trace.get("colorbar"), dict):
        return trace
    return {**trace, "colorbar": {"ticklabeloverflow": "allow", **trace["colorbar"]}}
