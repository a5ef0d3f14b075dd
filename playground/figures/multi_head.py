"""Figures for the multi-head page: a grid of per-head heatmaps, one word across heads, the path to the output, cost.

Builders take arrays and labels and return a figure; they do no attention math. They write the Plotly JSON spec
directly (arrays as Plotly's own base64 typed arrays) and hand it to base.figure, whose SpecFigure's to_dict()
returns that spec. Building the same figure through go.Figure's property objects costs about ten times what serialising it
does, which alone would break the 50 ms rerun budget with eight heatmaps. st.plotly_chart only calls to_dict() on a
figure, and tests/app/test_multi_head.py re-validates every spec the page sends with go.Figure, so a property typo
still fails a test. The look follows base.frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..formatting import plotly_safe
from .base import (
    MAX_CELLS_WITH_TEXT,
    SCORES_COLORSCALE,
    WEIGHTS_COLORSCALE,
    SpecFigure,
    figure,
    frame,
    scale,
    typed_array,
    unique_labels,
)
from .palette import FRAME, GRID, HEAD_COLORS, HIGHLIGHT
from .small_multiples import MAX_WORDS_WITH_NUMBERS, panel_cell, small_multiples

PART_COLORS = HEAD_COLORS[:4]
# Named colour scales resolved here, as validation would: plotly.js has its own, different "Blues" and no "_r" names.
WEIGHTS_SCALE = scale(WEIGHTS_COLORSCALE)  # cached tuples, shared safely by every session's figures
SCORES_SCALE = scale(SCORES_COLORSCALE)


def _figure(data: list[dict], layout: dict, *, title: str, height: int, margin: dict | None = None) -> SpecFigure:
    """The finished spec, framed like every other chart (base.frame)."""
    base = frame(title, height, margin=margin)
    return figure(data, {**base, **layout})


def _category_axis(**extra) -> dict:
    # Categories in the order the trace lists them (Plotly's default), so labels are sent once, with the trace.
    return dict(type="category", showgrid=False, **extra)


# The concat/output chart prints about 32 slanted column labels a panel (`_thin`), ~15 px apart at its font size,
# beside the word labels and colour bars: narrower than this, it scrolls inside its box instead of piling labels.
OUTPUT_PATH_MIN_PX = 640
# The cost chart prints each bar's total ("176,640") above it, eight bars a panel, two panels: narrower than this the
# totals run into each other, so it scrolls inside its box instead.
COST_MIN_PX = 900


def _thin(labels: list[str], keep: int = 0, most: int = 32) -> list[str]:
    """The labels to print on a long axis: the first `keep` all, then evenly spaced ones, about `most` in total."""
    step = max(1, -(-(len(labels) - keep) // max(1, most - keep)))
    return labels[:keep] + labels[keep::step]


def grid_columns(n_heads: int) -> int:
    """Panels per row: 1 head alone, otherwise two a row, so a 12-word panel keeps cells its numbers fit in."""
    return 1 if n_heads == 1 else 2


def grid_numbers(h: int, n: int, m: int, highlight_row: int | None) -> str:
    """Which cells of head_grid carry their number: "all" up to two 12 x 12 heads' worth of cells, "row" (only the
    followed word's row `highlight_row`; hover gives every cell) past that, "none" past MAX_WORDS_WITH_NUMBERS.

    Plotly draws each number as its own SVG text: eight heads' 968 numbers took 120 of the grid's 190 ms per draw
    in Chromium (benchmarks/browser.py), for a wall of digits too small to read."""
    followed = highlight_row is not None and 0 <= highlight_row < n
    if max(n, m) > MAX_WORDS_WITH_NUMBERS or (max(n, m) > MAX_CELLS_WITH_TEXT and not followed):
        return "none"
    return "row" if h * n * m > 2 * MAX_CELLS_WITH_TEXT**2 and followed else "all"


def head_grid_cell(h: int, n: int, head: int, row: int, col: int) -> tuple[int, int]:
    """(y, x) on head_grid's axes of head `head`'s cell (row, col), for marking it (playground/guess.mark_cell)."""
    return panel_cell(head, row, col, cols=grid_columns(h), n=n, m=n)


def head_grid(weights: np.ndarray, words: Sequence[str], head_titles: Sequence[str], *,
              highlight_row: int | None = None, title: str | None = None) -> SpecFigure:
    """weights [h, n, n] -> every head's matrix side by side (figures/small_multiples), two a row, one 0..1 colour
    scale, the followed word's row outlined. The title says how many heads and how large each matrix is, unless one
    is given."""
    h, n, m = np.shape(weights)
    if title is None:
        title = f"{h} head{'s' if h > 1 else ''} × {n}×{m} attention weights (%)"
    return small_multiples(weights, words, head_titles, cols=grid_columns(h), title=title,
                           numbers=grid_numbers(h, n, m, highlight_row), highlight_row=highlight_row)


def word_panel(weights: np.ndarray, entropy_bits: np.ndarray, words: Sequence[str], head_titles: Sequence[str], *,
               word: str, even_bits: float) -> SpecFigure:
    """Left: weights [h, n], one chosen word's attention in each head (a row per head). Right: entropy [h] in bits
    of each of those rows, with the even-spread ceiling log2(n) dashed."""
    w = np.asarray(weights, dtype=float)  # [h, n]
    e = np.asarray(entropy_bits, dtype=float)  # [h]
    h, n = w.shape
    labels = unique_labels(words)
    heads = unique_labels(head_titles, 40)
    quoted = plotly_safe(word, 16)
    heat = dict(type="heatmap", z=typed_array(w), x=labels, y=heads, coloraxis="coloraxis",
                texttemplate="%{z:.2f}" if n <= 14 else None,  # no size: Plotly fits the numbers to the cells
                hovertemplate="%{y}<br>key %{x}<br>weight %{z:.3f}<extra></extra>")
    # a list, not a typed array: Plotly decodes a bar's typed x in place, so Streamlit's second look at the chart
    # found it "changed" and drew the whole figure again (figures/look.py)
    bar = dict(type="bar", x=[round(float(v), 6) for v in e], y=heads, xaxis="x2", yaxis="y2", orientation="h",
               text=[f"{v:.2f}" for v in e], textposition="auto", insidetextanchor="end",
               marker=dict(color=[HEAD_COLORS[i % len(HEAD_COLORS)] for i in range(h)]),
               hovertemplate="%{y}<br>entropy %{x:.3f} bits<extra></extra>")
    top = max(even_bits, float(e.max(initial=0.0))) * 1.35 + 0.05
    layout = dict(
        xaxis=_category_axis(domain=[0, 0.64], title=dict(text=f"key: the word {quoted} looks at"),
                             tickangle=-45 if n > 6 else 0),
        yaxis=_category_axis(autorange="reversed", title=dict(text="head")),
        xaxis2=dict(domain=[0.78, 1], anchor="y2", range=[0, top], gridcolor=GRID,
                    title=dict(text="entropy, bits (0 = one word)")),
        yaxis2=_category_axis(anchor="x2", autorange="reversed", showticklabels=False),
        coloraxis=dict(colorscale=WEIGHTS_SCALE, cmin=0.0, cmax=1.0,
                       colorbar=dict(title=dict(text="weight"), thickness=12, x=0.66, xanchor="left")),
        shapes=[dict(type="line", xref="x2", yref="paper", x0=even_bits, x1=even_bits, y0=0, y1=1,
                     line=dict(color=HIGHLIGHT, dash="dash"))],
        annotations=[dict(x=even_bits, y=1, xref="x2", yref="paper", yanchor="bottom", xanchor="right",
                          showarrow=False, text=f"even spread {even_bits:.2f}",
                          font=dict(size=11, color=HIGHLIGHT))],
        showlegend=False,
    )
    # the heatmap holds 64 % of the width: each slanted key label needs ~18 px of it, each printed weight ~30 px
    least = round((n * (30 if n <= 14 else 18)) / 0.64 + 200)
    return _figure([heat, bar], {**layout, "meta": dict(min_width=least)},
                   title=f"Where {quoted} looks in each head, and how focused it is",
                   height=max(280, 170 + 34 * h), margin=dict(l=10, r=10, t=60, b=10))


def output_path(concat: np.ndarray, output: np.ndarray, words: Sequence[str], *, n_heads: int,
                column_names: Sequence[str], n_features: int) -> SpecFigure:
    """Top: concat [n, h * d_head], a block per head. Bottom: output = concat @ W_O [n, d_model], columns named.
    Values are activations, so colours diverge around 0; each panel has its own scale."""
    c = np.asarray(concat, dtype=float)  # [n, h * d_head]
    o = np.asarray(output, dtype=float)  # [n, d_model]
    n, k = c.shape
    d_head = k // n_heads
    rows = unique_labels(words)
    c_cols = unique_labels([f"h{j // d_head + 1}·{j % d_head}" for j in range(k)])
    o_cols = unique_labels(column_names)
    data, shapes, annotations = [], [], []
    # a wide gap between the panels: the top panel's slanted column labels and axis title above the bottom panel's
    # "features / position columns" labels (at [0.56, 1] / [0, 0.40] they overlapped on a desktop screen)
    panels = (("", c, c_cols, "coloraxis", [0.62, 1.0], "concat column: head · dimension"),
              ("2", o, o_cols, "coloraxis2", [0.0, 0.36], "output column"))
    layout: dict = {}
    for ax, z, cols, color, dom, x_title in panels:
        data.append(dict(type="heatmap", z=typed_array(z), x=cols, y=rows, xaxis=f"x{ax}", yaxis=f"y{ax}", coloraxis=color,
                         hovertemplate="word %{y}<br>column %{x}<br>value %{z:.3f}<extra></extra>"))
        bound = float(np.max(np.abs(z))) if z.size else 0.0
        layout[color] = dict(colorscale=SCORES_SCALE, cmid=0.0, cmin=-(bound or 1.0), cmax=bound or 1.0,
                             colorbar=dict(title=dict(text="value"), thickness=12, len=0.42, y=dom[1], yanchor="top"))
        keep = n_features if ax == "2" and len(cols) <= 64 else 0  # name every feature while they are legible
        shown = _thin(cols, keep)
        # A fixed range: otherwise Plotly widens the axis to fit the block labels anchored on it.
        layout[f"xaxis{ax}"] = _category_axis(anchor=f"y{ax}", tickangle=-60, tickfont=dict(size=9),
                                              tickmode="array", tickvals=shown, ticktext=shown,
                                              range=[-0.5, len(cols) - 0.5], title=dict(text=x_title))
        layout[f"yaxis{ax}"] = _category_axis(anchor=f"x{ax}", domain=dom, autorange="reversed",
                                              tickfont=dict(size=10), title=dict(text="word"))
    for i in range(n_heads):  # head blocks of the concat
        if i:
            shapes.append(dict(type="line", xref="x", yref="y domain", x0=i * d_head - 0.5, x1=i * d_head - 0.5,
                               y0=0, y1=1, line=dict(color=FRAME, width=2)))
        annotations.append(dict(x=i * d_head - 0.5, y=1, xref="x", yref="y domain", xanchor="left", yanchor="bottom",
                                showarrow=False, text=f"head {i + 1}", font=dict(size=10)))
    shapes.append(dict(type="line", xref="x2", yref="y2 domain", x0=n_features - 0.5, x1=n_features - 0.5, y0=0, y1=1,
                       line=dict(color=FRAME, width=2)))
    annotations += [  # both anchored on the boundary, so they never overlap however narrow the feature block is
        dict(x=n_features - 0.5, y=1, xref="x2", yref="y2 domain", xanchor=side, yanchor="bottom", showarrow=False,
             text=text, font=dict(size=10))
        for side, text in (("right", "features ◂"), ("left", "▸ position columns"))
    ]
    layout.update(shapes=shapes, annotations=annotations)
    title = (f"concat of the heads [{n}, {k}] (top) → · W_O [{k}, {o.shape[1]}] → output [{n}, {o.shape[1]}] "
             "(bottom)")
    return _figure(data, layout, title=title, height=max(520, 300 + 32 * n), margin=dict(l=10, r=10, t=70, b=10))


def cost_chart(head_counts: Sequence[int], parameters: Sequence[dict[str, int]],
               multiply_adds: Sequence[dict[str, int]], *, d_model: int, n: int, current: int | None = None
               ) -> SpecFigure:
    """Left: weights per matrix, right: multiply-adds per step, as stacked bars for each head count; the `current`
    one's label in bold, if given (the Multi-head page gives none: its chart then stays as it is, not redrawn, when
    only the number of heads changes)."""
    x = [f"h = {h}" for h in head_counts]
    ticks = [f"<b>{t} (now)</b>" if h == current else t for t, h in zip(x, head_counts, strict=True)]
    data, layout = [], {}
    panels = (("", "legend", parameters, [0, 0.44], "weights"),
              ("2", "legend2", multiply_adds, [0.56, 1], f"multiply-adds for {n} words"))
    for ax, legend, parts, dom, y_title in panels:
        for j, name in enumerate(parts[0]):
            data.append(dict(type="bar", x=x, y=[p[name] for p in parts], name=name, xaxis=f"x{ax}", yaxis=f"y{ax}",
                             legend=legend, marker=dict(color=PART_COLORS[j % len(PART_COLORS)]),
                             hovertemplate=f"{plotly_safe(name, 40)}<br>%{{x}}<br>%{{y:,}}<extra></extra>"))
        totals = [sum(p.values()) for p in parts]
        data.append(dict(type="scatter", x=x, y=totals, xaxis=f"x{ax}", yaxis=f"y{ax}", mode="text",
                         text=[f"{t:,}" for t in totals], textposition="top center", showlegend=False,
                         hoverinfo="skip"))
        layout[f"xaxis{ax}"] = _category_axis(domain=dom, anchor=f"y{ax}", tickvals=x, ticktext=ticks,
                                              title=dict(text="number of heads"))
        layout[f"yaxis{ax}"] = dict(anchor=f"x{ax}", title=dict(text=y_title), tickformat="~s", gridcolor=GRID,
                                    range=[0, max(totals) * 1.2])
        # in pixels from the figure's bottom, under the axis title (a fraction of the plot height put the legend on
        # the title when the chart was narrow and the legend wrapped onto two rows)
        layout[legend] = dict(orientation="h", yanchor="bottom", y=0, yref="container", x=dom[0], xanchor="left",
                              traceorder="normal", font=dict(size=11))
    layout["barmode"] = "stack"
    title = f"Cost of one multi-head layer for every h, d_model = {d_model}, d_head = d_model / h"
    return _figure(data, layout, title=title, height=480, margin=dict(l=10, r=10, t=50, b=100))
