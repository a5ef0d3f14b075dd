"""Static CSS for narrow screens (phones, projectors at 150 % zoom with the sidebar open). No user text ever goes in.

- A row of columns holding a chart wraps onto several lines instead of squeezing each chart below a readable width.
- A chart keeps a minimum readable width; on a screen narrower than that it scrolls inside its own box, never the page.
- Wide tables and code lines (the Math page's worked examples) scroll inside their box too.
- A column of controls that asks for it stays as wide as its controls; the row wraps instead.
- The sidebar's collapse arrow is always shown, not only on hover, so a projector user finds it.
- Tamil falls back to Noto Sans Tamil in every weight (bold text rendered boxes without it in the list).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import streamlit as st

from . import display
from .figures.display_modes import PROJECTOR_FONT

MIN_CHART_PX = 330  # fits a 390 px phone's content column (358 px) and keeps a 12 x 12 heatmap's cells readable

CSS = f"""<style>
[data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
[data-testid="stColumn"]:has([data-testid="stPlotlyChart"]) {{ min-width: min({MIN_CHART_PX}px, 100%); }}
[data-testid="stPlotlyChart"] {{ max-width: 100%; overflow-x: auto; overflow-y: hidden; }}
[data-testid="stPlotlyChart"] > div {{ min-width: {MIN_CHART_PX}px; }}
[data-testid="stMarkdownContainer"] table {{ display: block; max-width: 100%; overflow-x: auto; }}
[data-testid="stMarkdownContainer"] pre {{ max-width: 100%; overflow-x: auto; }}
.katex-display {{ max-width: 100%; overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; }}
[data-testid="stSidebarCollapseButton"] {{ visibility: visible !important; opacity: 1 !important;
  display: inline-flex !important; }}
html, body, [data-testid="stApp"] {{ font-family: "Source Sans Pro", "Source Sans 3", "Noto Sans Tamil", sans-serif; }}
</style>"""


def apply() -> None:
    """Add the stylesheet to the page (a style-only st.html takes no room)."""
    st.html(CSS)


def _check_key(key: str) -> None:
    """Keys go into CSS selectors: only the characters a page's own key constants use."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"not a widget key: {key!r}")


def chart_min_widths_css(widths: Mapping[str, int]) -> str:
    """CSS giving the charts with these widget keys a minimum width (px) above MIN_CHART_PX: narrower, the chart
    scrolls inside its own box, and a row of columns holding it wraps first. Keys are the page's own constants."""
    rules = []
    for key, px in widths.items():
        _check_key(key)
        if int(px) > MIN_CHART_PX:
            # Streamlit sizes the figure to its full-screen frame: widen that, and let the element's box scroll
            rules.append(f'[data-testid="stColumn"]:has(.st-key-{key}) {{ min-width: min({int(px)}px, 100%); }}\n'
                         f'.st-key-{key} {{ max-width: 100%; overflow-x: auto; overflow-y: hidden; }}\n'
                         f'.st-key-{key} [data-testid="stFullScreenFrame"] {{ min-width: {int(px)}px; }}')
    return f"<style>\n{chr(10).join(rules)}\n</style>" if rules else ""


def whole_columns_css(keys: Sequence[str]) -> str:
    """CSS keeping each column that holds the widget with one of these keys at least as wide as its content, so a row
    of columns wraps instead of cutting a segmented control's options off (they scrolled out of sight, on a
    projector at 150 %) or a switch's label short. Only for columns that hold controls alone: a column's content
    width is its longest line."""
    for key in keys:
        _check_key(key)
    rules = ", ".join(f'[data-testid="stColumn"]:has(.st-key-{key})' for key in keys)
    return f"<style>{rules} {{ min-width: max-content; }}</style>" if keys else ""


def whole_columns(keys: Sequence[str]) -> None:
    """Apply `whole_columns_css` to the page."""
    if keys:
        st.html(whole_columns_css(keys))


def chart_min_widths(widths: Mapping[str, int], scale: float | None = None) -> None:
    """Apply `chart_min_widths_css` to the page (nothing when every chart fits in MIN_CHART_PX). The widths are
    for the standard display; in projector mode, whose chart text is PROJECTOR_FONT times larger, they grow by as
    much (`scale`, unless given)."""
    if scale is None:
        scale = PROJECTOR_FONT if display.current().projector else 1.0
    css = chart_min_widths_css({key: round(px * scale) for key, px in widths.items()})
    if css:
        st.html(css)
