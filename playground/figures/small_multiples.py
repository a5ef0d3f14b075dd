"""Every head at once: attention matrices as small multiples, side by side on ONE pair of axes.

A grid of heads used to be one subplot per head: eight sets of axes, tick labels and titles for Plotly to lay out
and draw on every change, and panels that shrank with the screen until their numbers ran together on a phone. Here
every panel is a block of one heatmap trace on one pair of axes; an unused position keeps an empty column between
panels and an empty row above each row of panels, room for the panel titles. Keys are labelled once, under the
bottom row; queries once per row of panels, on the left.

Readable at every size:
- cells have a least size (CELL_PX, larger where numbers are printed) and the figure states the width that gives it
  (`layout.meta.min_width`, applied by playground/export.chart): a narrower screen scrolls inside the chart's box;
- cell numbers have no fixed size: Plotly fits them to the cells, never larger than the chart's font, so two never
  run into each other, and they grow with the projector mode's larger font, which scales every chart's height and
  least width by as much (display_modes.py);
- panel titles are cut to their panel's width, so two never overlap.
Numbers are whole percentages ("84" for 0.84; the colour bar and hover say %), short enough for a small cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..formatting import plotly_safe
from .base import KEY_AXIS, QUERY_AXIS, WEIGHTS_COLORSCALE, SpecFigure, figure, frame, scale, typed_array, unique_labels
from .margins import label_box, text_em
from .palette import HIGHLIGHT, INK

__all__ = ["CELL_PX", "MAX_WORDS_WITH_NUMBERS", "columns_that_fit", "fit_title", "grid_min_width", "panel_cell",
           "small_multiples"]

CELL_PX = {True: 20, False: 16}  # least cell size (px) with numbers printed in it, and without (a slanted label each)
TICK_PX = 11  # tick label font
TITLE_PX = 12  # panel title font
LABEL_CHARS = 14  # words longer than this are cut on the axes (hover has them whole up to that too)
GAP = "\u200b"  # the label of a gap position between panels: never printed as a tick
MAX_WORDS_WITH_NUMBERS = 16  # past this many words a panel prints no numbers (hover and the tables give them)
_COLORBAR_PX = 90  # the colour bar, its ticks and title, right of the plot
_LEFT_EXTRA_PX = 45  # the query axis title and the tick padding, left of the query labels


def _with_gaps(words: Sequence[str], panels: int) -> list[str]:
    """Labels of the positions along an axis holding `panels` panels: the words once per panel, a gap between
    panels ([w0..wn-1, gap, w0..wn-1, ...]), each escaped and cut to LABEL_CHARS (base.unique_labels)."""
    out: list[str] = []
    for p in range(panels):
        out += ([GAP] if p else []) + list(words)
    return unique_labels(out, LABEL_CHARS)


def grid_min_width(cols: int, m: int, words: Sequence[str], numbers: bool) -> int:
    """The least figure width (px) giving each cell of `cols` panels of `m` keys CELL_PX[numbers]: the query labels
    and axis title on the left, the cells, the colour bar on the right."""
    left, _ = label_box([plotly_safe(w, LABEL_CHARS) for w in words], TICK_PX, 0.0)
    cells = (cols * m + cols - 1) * CELL_PX[numbers]
    return int(math.ceil(left + _LEFT_EXTRA_PX + cells + _COLORBAR_PX))


def fit_title(title: str, px: float, size: float = TITLE_PX) -> str:
    """`title` cut (ending in …) to at most `px` wide in bold at font `size`."""
    if text_em(f"<b>{title}</b>")[0] * size <= px:
        return title
    while title and text_em(f"<b>{title}…</b>")[0] * size > px:
        title = title[:-1]
    return f"{title.rstrip()}…"


def columns_that_fit(panels: int, m: int, words: Sequence[str], numbers: bool, width_px: int = 800) -> int:
    """Panels a row: all of them when that fits `width_px` (a laptop's main column), else two."""
    return panels if panels <= 2 or grid_min_width(panels, m, words, numbers) <= width_px else 2


def panel_cell(panel: int, row: int, col: int, *, cols: int, n: int, m: int) -> tuple[int, int]:
    """(y, x) on the grid's axes of cell (row, col) of panel `panel`, in a grid of `cols` panels of n x m a row."""
    r, c = divmod(panel, cols)
    return r * (n + 1) + row, c * (m + 1) + col


def small_multiples(weights: np.ndarray, words: Sequence[str], titles: Sequence[str], *, cols: int, title: str,
                    numbers: str, highlight_row: int | None = None, framed: int | None = None,
                    hover_names: Sequence[str] | None = None) -> SpecFigure:
    """weights [P, n, m] (P panels; rows are queries, columns keys) -> `cols` panels a row, on one pair of axes.

    numbers: "all" (every cell's percentage), "row" (`highlight_row`'s cells only; hover gives every cell) or "none".
    highlight_row is outlined in every panel; panel `framed` gets a thick frame and a red title. hover_names[p] names
    panel p in its hover label (default: its title)."""
    w = np.asarray(weights, dtype=float)  # [P, n, m]
    p_count, n, m = w.shape
    rows = -(-p_count // cols)
    shown = numbers != "none"
    cell = CELL_PX[shown]
    followed = highlight_row is not None and 0 <= highlight_row < n
    x = _with_gaps(words, cols)  # [cols * (m + 1) - 1] key labels: every panel column's, a gap between them
    y = _with_gaps(words, rows)  # [rows * (n + 1) - 1] query labels
    names = list(hover_names or titles)
    printed = range(n) if numbers == "all" else [highlight_row] if numbers == "row" and followed else []
    # hover words, the same for every panel: "query → key" per cell
    pairs = [[f"query {q}<br>key {k}" for k in unique_labels(words, LABEL_CHARS)] for q in unique_labels(words, LABEL_CHARS)]
    # ONE heatmap trace holds every panel, the gaps between them empty (NaN: no colour, no hover), so Plotly lays out
    # and draws one trace, not one per panel: a fifth to a quarter less drawing for eight heads in Chromium
    z = np.full((len(y), len(x)), np.nan)  # [rows * (n + 1) - 1, cols * (m + 1) - 1]
    hover = np.full(z.shape, "", dtype=object)  # "" marks a gap (tests/app/grid_support reads the panels back by it)
    text = np.full(z.shape, "", dtype=object)
    annotations, shapes = [], []
    for p in range(p_count):
        r, c = divmod(p, cols)
        x0, y0 = c * (m + 1), r * (n + 1)  # the panel's first key and first query on the shared axes
        z[y0:y0 + n, x0:x0 + m] = w[p]
        name = plotly_safe(names[p], 60)
        hover[y0:y0 + n, x0:x0 + m] = [[f"{name}<br>{pair}" for pair in line] for line in pairs]
        for q in printed:
            text[y0 + q, x0:x0 + m] = [f"{100 * v:.0f}" if math.isfinite(v) else "" for v in w[p][q].tolist()]
        mark = p == framed
        annotations.append(dict(
            text=f"<b>{plotly_safe(fit_title(titles[p], m * cell), 80)}</b>", x=x0 - 0.5, y=y0 - 0.5, xref="x",
            yref="y", xanchor="left", yanchor="bottom", yshift=2, showarrow=False,
            font=dict(size=TITLE_PX, color=HIGHLIGHT if mark else INK)))
        if followed:
            shapes.append(dict(type="rect", xref="x", yref="y", x0=x0 - 0.5, x1=x0 + m - 0.5,
                               y0=y0 + highlight_row - 0.5, y1=y0 + highlight_row + 0.5,
                               line=dict(color=HIGHLIGHT, width=2)))
        if mark:
            shapes.append(dict(type="rect", xref="x", yref="y", x0=x0 - 0.65, x1=x0 + m - 0.35, y0=y0 - 0.6,
                               y1=y0 + n - 0.4, line=dict(color=HIGHLIGHT, width=3)))
    trace = dict(type="heatmap", z=typed_array(z), coloraxis="coloraxis", customdata=hover.tolist(), hoverongaps=False,
                 hovertemplate="%{customdata}<br>weight %{z:.1%}<extra></extra>")
    if printed:
        trace.update(texttemplate="%{text}", text=text.tolist())  # a hidden row (NaN) prints nothing
    # labels every k-th word where cells are too small for each: slanted key labels need ~16 px, query labels ~15
    x_every, y_every = max(1, math.ceil(16 / cell)), max(1, math.ceil(15 / cell))
    x_ticks = [i for i, label in enumerate(x) if label.strip(GAP) and (i % (m + 1)) % x_every == 0]
    y_ticks = [i for i, label in enumerate(y) if label.strip(GAP) and (i % (n + 1)) % y_every == 0]
    plot_px = len(y) * cell
    margin = dict(l=10, r=10, t=70 + TITLE_PX + 10, b=10)  # the chart title, then the first row's panel titles
    # numeric axes, words as tick text: a heatmap's cell numbers are placed by its x and y values, and on category
    # axes every panel's numbers landed on the first panel (plotly.js 3)
    # no grid lines, minor ones included (Streamlit's look gives them a colour, which drew them in the gaps)
    axis = dict(showgrid=False, minor=dict(showgrid=False), zeroline=False, tickmode="array",
                tickfont=dict(size=TICK_PX))
    layout = frame(
        title, plot_px + margin["t"] + 110, margin=margin,
        xaxis=dict(axis, tickvals=x_ticks, ticktext=[x[i] for i in x_ticks], tickangle=-60 if m > 3 else 0,
                   range=[-0.5, len(x) - 0.5], title=dict(text=KEY_AXIS)),
        yaxis=dict(axis, tickvals=y_ticks, ticktext=[y[i] for i in y_ticks], range=[len(y) - 0.5, -0.5],
                   title=dict(text=QUERY_AXIS)),
        coloraxis=dict(colorscale=scale(WEIGHTS_COLORSCALE), cmin=0.0, cmax=1.0,
                       colorbar=dict(title=dict(text="weight"), tickformat=".0%", thickness=12, y=1, yanchor="top",
                                     len=min(1.0, 320 / plot_px))),
        annotations=annotations, shapes=shapes,
        meta=dict(min_width=grid_min_width(cols, m, words, shown)))
    return figure([trace], layout)
