"""The playground's one palette: every colour a chart or a styled table uses comes from here, by its role.

Roles, not hues: a chart asks for `WEIGHTS_COLORSCALE` or `HIGHLIGHT`, so a display mode can swap the whole palette in
one place. Weights (0..1) use a sequential scale; raw scores a diverging scale centred on 0.

The colour-blind-safe display mode is the table at the bottom: for each role, the colour it takes in that mode.
display_modes.py applies it to every chart a page sends (step 2 of render.py's pipeline), so builders keep reading
the role names above and never learn which mode is on. HTML coloured outside Plotly (the Self-attention page's shaded
sentence) is not a chart: its builder takes the mode as an argument and reads this table itself.
"""

from __future__ import annotations

__all__ = [
    "WEIGHTS_COLORSCALE", "SCORES_COLORSCALE", "SHADE_RGB",
    "PRIMARY", "SECONDARY", "ACCENT", "HIGHLIGHT", "EXTRA", "MUTED", "DARK", "FRAME", "INK", "PAPER", "GRID",
    "TRANSPARENT", "HEAD_COLORS", "AXIS_TEXT", "LEGEND_TEXT", "TITLE_TEXT", "AXIS_LINES", "HOVER_BORDER",
    "MARK", "NOTE", "BLACK", "COLORBLIND_SCALES", "COLORBLIND_COLORS",
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
BLACK = "#000000"  # text on mid-tone boxes: with black or white, any background reaches 4.5:1 (WCAG AA)
PAPER = "#ffffff"  # plot background and text on dark cells
GRID = "#eeeeee"
TRANSPARENT = "rgba(0,0,0,0)"
MARK = "#888888"  # a value marked on an axis (the bottleneck page's chosen sentence length)
NOTE = "#555555"  # the label of such a mark, and a series drawn without a style of its own
# What Streamlit's own chart theme gives axes, legends and titles under this app's light theme (.streamlit/config.toml);
# playground/figures/look.py applies them itself (see there why).
AXIS_TEXT = "#808495"  # tick labels, axis and colour-bar titles, hover text
LEGEND_TEXT = "#262730"
TITLE_TEXT = "#1b2633"  # the config's textColor
AXIS_LINES = "#e6eaf1"  # grid, tick and zero lines
HOVER_BORDER = "rgba(27, 38, 51, 0.2)"
# one colour per head (multi-head), muted so that cell text stays readable on top
HEAD_COLORS = ("#1f6fb2", "#d9822b", "#2a9d8f", "#9b5de5", "#8d99ae", "#b5838d", "#6c757d", "#a3a3a3")

# ---- colour-blind safe (display mode "colorblind") -------------------------------------------------------------------
# Sequential weights: Viridis is perceptually uniform and keeps its order in grey and for every common colour-vision
# deficiency. Diverging scores: purple-orange (no red-green axis), orange for positive as red was before.
COLORBLIND_SCALES = {WEIGHTS_COLORSCALE: "Viridis", SCORES_COLORSCALE: "PuOr_r"}
# Lines, marks and heads: the Okabe-Ito set (Okabe & Ito 2008), which stays distinct under protan, deutan and tritan
# vision; greys stay as they are.
_OKABE_ITO = dict(orange="#e69f00", sky="#56b4e9", green="#009e73", yellow="#f0e442", blue="#0072b2",
                  vermillion="#d55e00", purple="#cc79a7", black="#000000")
COLORBLIND_COLORS = {
    PRIMARY: _OKABE_ITO["blue"],
    SECONDARY: _OKABE_ITO["green"],
    ACCENT: _OKABE_ITO["purple"],
    HIGHLIGHT: _OKABE_ITO["vermillion"],
    **dict(zip(HEAD_COLORS, (_OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "sky", "vermillion")))),
}
