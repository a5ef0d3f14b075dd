"""The playground's one palette: every colour a chart or a styled table uses comes from here, by its role.

Roles, not hues: a chart asks for `SEQUENTIAL` or `HIGHLIGHT`, so a display mode can swap the whole palette in one
place. Weights (0..1) use a sequential scale; raw scores a diverging scale centred on 0.
"""

from __future__ import annotations

__all__ = [
    "WEIGHTS_COLORSCALE", "SCORES_COLORSCALE", "SHADE_RGB",
    "PRIMARY", "SECONDARY", "ACCENT", "HIGHLIGHT", "EXTRA", "MUTED", "DARK", "FRAME", "INK", "PAPER", "GRID",
    "TRANSPARENT", "HEAD_COLORS",
    "MARK", "NOTE",
]

WEIGHTS_COLORSCALE = "Blues"  # sequential, 0..1
SCORES_COLORSCALE = "RdBu_r"  # diverging, centred on 0 (red positive, blue negative)
SHADE_RGB = (31, 119, 180)  # the weights colour as RGB, for cell shading outside Plotly (alpha = the weight)

PRIMARY = "#1f77b4"  # blue: the thing measured or selected by default (attention, trained model, scaled-off)
SECONDARY = "#2ca02c"  # green: the improved or alternative variant (scaled, chunked, with attention)
ACCENT = "#9467bd"  # purple: a third series
HIGHLIGHT = "#d62728"  # red: the selected word, the sequential RNN, a random baseline
MUTED = "#7f7f7f"  # grey: formulas and reference lines
DARK = "#444444"  # annotation text, static points
EXTRA = "#555555"  # hover-label borders
FRAME = "#1b2633"  # outlines that group panels
INK = "#1a1a1a"  # text on light cells
PAPER = "#ffffff"  # plot background and text on dark cells
GRID = "#eeeeee"
TRANSPARENT = "rgba(0,0,0,0)"
MARK = "#888888"  # a value marked on an axis (the bottleneck page's chosen sentence length)
NOTE = "#555555"  # the label of such a mark, and a series drawn without a style of its own
# one colour per head (multi-head), muted so that cell text stays readable on top
HEAD_COLORS = ("#1f6fb2", "#d9822b", "#2a9d8f", "#9b5de5", "#8d99ae", "#b5838d", "#6c757d", "#a3a3a3")
