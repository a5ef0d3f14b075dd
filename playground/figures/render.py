"""From a figure builder to the screen: every chart of the playground takes these steps, in this order.

1. **Builder** (`base.py`, one module per page): plain Plotly dicts, {"data": [traces], "layout": frame(...)}, every
   colour a palette role (`palette.py`), wrapped by `base.figure` in a `SpecFigure`. Why not a `go.Figure`: it turns
   every trace into validated Plotly objects, and its `to_dict()` deep-copies them; a `SpecFigure` hands its
   dict over as it is, and `st.plotly_chart` only calls `to_dict()`. Skipped validation is done by the tests instead:
   tests/app/test_chart_look.py validates with Plotly every chart every page sends, after all the steps below.
2. **Display mode** (`display_modes.styled`): the sidebar's choice, applied to the spec. Colour-blind: each coloured
   role's colour becomes its Okabe-Ito colour, the weights scale Viridis, the scores scale purple-orange (the table at
   the bottom of `palette.py`). Projector: every font x1.35 (`PROJECTOR_FONT`), every line x1.75, sizes named where
   Streamlit's look would otherwise set a small one, a long title wrapped shorter, and every chart's height and stated
   least width (`layout.meta.min_width`) x1.35, so the chart grows with its text. The standard mode returns the spec
   itself; the others return a copy (a builder's spec may be cached and shared between sessions).
3. **Streamlit's look** (`look.with_look`): the values Streamlit's chart theme would apply (fonts, axis colours, the
   bold title, hover labels) written into the spec under the chart's own, no `template`, a fixed `datarevision`.
   Why: with `theme="streamlit"` the browser applies the theme just after drawing a chart, as a new template object;
   Plotly compares templates by identity, so every new or changed chart was drawn a second time.
4. **Margins** (`margins.reserve_margins`): each margin set on the server to an estimate of what Plotly's automargin
   would make of the tick labels and axis titles on the figure's edge (label widths from the chart font's measured
   advance widths). Why: Plotly draws a chart, measures its labels, and when they stick out widens the margins and
   draws the whole chart again. Automargin stays on, so a short estimate still ends in a fitting chart.
5. **Drawn once** (`ranges.pin_ranges`, `server_only`): Streamlit hands Plotly every chart a second time just after
   drawing it, as a fresh copy; Plotly redraws from scratch whatever compares as changed. Two things did: an
   auto-ranged axis (`autorange: "reversed"`, every attention heatmap's query axis), whose worked-out range Plotly
   keeps in the spec it was given, and `layout.meta` (a new object each time). So every axis whose traces fix its
   extent (heatmap cells, the category side of bars) gets that range written in, and the meta (the chart's least
   width, for the server's CSS) stays on the server. The second pass then costs ~5 ms instead of a whole drawing.
6. **Export config** (`chart_config`): the modebar's camera button saves the chart at slide size (1280 wide, at
   least 720 tall, PNG at twice that) under a name saying what it shows (`file_stem`); the toolbar keeps only the
   camera and "reset axes".
7. **On the page** (`playground/export.chart`, the one place that calls Streamlit): `st.plotly_chart(figure,
   config=config, theme=None)`, theme=None because step 3 already carries the look; and a chart that states
   `layout.meta.min_width` gets it as CSS on its widget key (`playground/layout_css.chart_min_widths`): on a
   narrower screen it scrolls inside its own box.

`render` runs steps 2 to 6. This folder never imports Streamlit (tests/architecture keeps it so), so every step is
tested on plain dicts: tests/app/test_display.py (2), tests/app/test_chart_look.py (3, 4, 5), tests/app/test_export.py
(6, and every page's charts through step 7), tests/e2e/test_layout.py (every chart's box on a phone and a projector).
What a step saves in the browser is measured, not asserted: `python -m benchmarks.browser_profile --page
pages/<page>.py` splits a key press's time by script and function and names the charts it drew anew.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

import plotly.graph_objects as go

from .base import SpecFigure
from .display_modes import Display, styled
from .look import with_look
from .margins import reserve_margins
from .ranges import pin_ranges

__all__ = ["Rendered", "render", "server_only", "chart_config", "file_stem", "file_safe", "IMAGE_WIDTH", "IMAGE_MIN_HEIGHT",
           "IMAGE_SCALE", "TOOLBAR_REMOVED"]

IMAGE_WIDTH = 1280  # a 16:9 slide's width in CSS pixels
IMAGE_MIN_HEIGHT = 720  # ... and its height; a taller chart keeps its own height
IMAGE_SCALE = 2  # PNG pixels per CSS pixel: 2560 px wide, sharp on a projector
TOOLBAR_REMOVED = ("zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d")


class Rendered(NamedTuple):
    figure: SpecFigure  # the finished spec, for st.plotly_chart(..., theme=None)
    config: dict  # Plotly's config: the camera button and the toolbar
    min_width: Any  # px the chart needs (layout.meta.min_width), already scaled for the display mode; None if unstated


def render(fig: go.Figure, display: Display, name_parts: Sequence[Any], fmt: str) -> Rendered:
    """Steps 2 to 6 above: a builder's figure as `display` shows it, with Streamlit's look, its margins and the
    camera button saving `fmt` under the name `name_parts`. The builder's spec is not touched."""
    spec = styled(fig.to_dict(), display)
    spec = reserve_margins(with_look(spec))  # margins after the look: its fonts are the ones the labels are drawn in
    spec, min_width = server_only(pin_ranges(spec))
    config = chart_config(name_parts, spec["layout"].get("height"), fmt)
    return Rendered(SpecFigure(spec), config, min_width)


def server_only(spec: dict) -> tuple[dict, Any]:
    """The spec without `layout.meta` (a new dict), and the least width the meta stated (None if none). The meta is
    for the server (the chart's CSS); in the browser it cost a whole second drawing: Streamlit hands Plotly every
    chart again, as a fresh copy, just after drawing it, and Plotly takes a meta object of a new identity as a
    change to redraw from scratch, where without it the second pass is a no-op (the fixed datarevision, step 3)."""
    layout = spec["layout"]
    min_width = (layout.get("meta") or {}).get("min_width")
    return {**spec, "layout": {k: v for k, v in layout.items() if k != "meta"}}, min_width


def chart_config(name_parts: Sequence[Any], height: Any, fmt: str) -> dict:
    """Plotly's config for one chart: the camera button saves `fmt` at slide size under a descriptive name."""
    h = int(height) if isinstance(height, (int, float)) and height > 0 else IMAGE_MIN_HEIGHT
    # the toolbar keeps the camera and "reset axes" only (dragging still zooms): the full row of eight buttons sat
    # over the chart's title on a phone and on long titles
    return dict(displaylogo=False, modeBarButtonsToRemove=list(TOOLBAR_REMOVED), toImageButtonOptions=dict(
        format=fmt, filename=file_stem(name_parts), width=IMAGE_WIDTH, height=max(h, IMAGE_MIN_HEIGHT),
        scale=IMAGE_SCALE if fmt == "png" else 1))  # an SVG is sharp at any size: 1280 wide is what a slide takes


def file_safe(char: str) -> bool:
    """Letters and digits of any script with their combining marks (Tamil vowel signs), '.', '-'."""
    return char in ".-" or unicodedata.category(char)[0] in "LMN"


def _slug(part: Any) -> str:
    # one piece of a file name: spaces become '-', anything not file_safe is dropped ('/', '_', quotes, emoji)
    text = "".join(c for c in re.sub(r"\s+", "-", str(part).strip()) if file_safe(c)).strip(".-")
    return text[:40]


def file_stem(name_parts: Sequence[Any]) -> str:
    """("self-attention", "it", "temperature-1.0") -> "self-attention_it_temperature-1.0": what the file shows."""
    stem = "_".join(p for p in (_slug(part) for part in name_parts) if p)
    return stem[:120] or "chart"
