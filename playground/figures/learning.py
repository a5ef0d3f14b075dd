"""Figures of the Learning-to-attend page: the resolving head's "it" row, every layer x head as small multiples,
and held-out accuracy over training steps. Builders take arrays and labels; no model calls here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..formatting import plotly_safe
from .base import KEY_AXIS, WEIGHTS_COLORSCALE, figure, frame, scale, weights_bar
from .palette import HIGHLIGHT, INK, PRIMARY, SECONDARY


def head_label(layer: int, head: int) -> str:
    """1-based for people: the model counts from 0."""
    return f"layer {layer + 1} · head {head + 1}"


def it_row(row: np.ndarray, tokens: Sequence[str], *, title: str, height: int = 300):
    """The weights of "it" over every token of the sentence, percentages on the bars."""
    return weights_bar(np.asarray(row, dtype=float), tokens, title=title, x_title=KEY_AXIS, height=height,
                       value_name="weight from “it”")


def every_head(weights: np.ndarray, tokens: Sequence[str], resolving: tuple[int, int] | None, it_index: int):
    """weights [L, H, n, n] -> one small heatmap per head, H panels a row (a row per layer), titled "L2 H3"
    (layer 2, head 3). The "it" row is outlined and carries its percentages in every panel (the other cells tell
    theirs on hover: printed everywhere, eight 11 x 11 panels would be a wall of digits); the resolving head, if
    one is given, is framed and its title says so."""
    w = np.asarray(weights, dtype=float)
    n_layers, n_heads, n, _ = w.shape
    labels = [plotly_safe(t, 12) + "\u200b" * k for k, t in _nth(tokens)]  # two "the"s stay two rows
    gap_x, gap_y = 0.03, 0.16
    width = (1 - gap_x * (n_heads - 1)) / n_heads
    height = (1 - gap_y * (n_layers - 1)) / n_layers
    data, layout, annotations, shapes = [], {}, [], []
    for i in range(n_layers * n_heads):
        layer, h = divmod(i, n_heads)
        ax = "" if i == 0 else str(i + 1)
        x0, y1 = h * (width + gap_x), 1 - layer * (height + gap_y)
        text = [[f"{100 * v:.0f}" if r == it_index else "" for v in row] for r, row in enumerate(w[layer, h])]
        data.append(dict(type="heatmap", z=np.round(w[layer, h], 4).tolist(), x=labels, y=labels, text=text,
                         texttemplate="%{text}", textfont=dict(size=10), xaxis=f"x{ax}", yaxis=f"y{ax}",
                         coloraxis="coloraxis",
                         hovertemplate=f"{head_label(layer, h)}<br>query %{{y}}<br>key %{{x}}<br>weight %{{z:.3f}}"
                                       "<extra></extra>"))
        first = h == 0
        layout[f"xaxis{ax}"] = dict(type="category", domain=[round(x0, 6), round(min(x0 + width, 1.0), 6)],
                                    anchor=f"y{ax}", tickangle=-60, tickfont=dict(size=9), showgrid=False,
                                    title=dict(text=KEY_AXIS if first and layer == n_layers - 1 else "",
                                               font=dict(size=11)))
        layout[f"yaxis{ax}"] = dict(type="category", domain=[round(max(y1 - height, 0.0), 6), round(y1, 6)],
                                    anchor=f"x{ax}", autorange="reversed", showticklabels=first,
                                    tickfont=dict(size=9), showgrid=False,
                                    title=dict(text="query" if first else "", font=dict(size=11)))
        mark = resolving is not None and (layer, h) == tuple(resolving)
        short = f"L{layer + 1} H{h + 1}"  # four panels a row leave a phone ~80 px per title
        annotations.append(dict(text=f"<b>{short} ◀ “it”</b>" if mark else short, x=x0, y=y1, xref="paper",
                                yref="paper", xanchor="left", yanchor="bottom", yshift=4, showarrow=False,
                                font=dict(size=12, color=HIGHLIGHT if mark else INK)))
        shapes.append(dict(type="rect", xref=f"x{ax}", yref=f"y{ax}", x0=-0.5, x1=n - 0.5, y0=it_index - 0.5,
                           y1=it_index + 0.5, line=dict(color=HIGHLIGHT, width=1.5)))
        if mark:
            shapes.append(dict(type="rect", xref=f"x{ax} domain", yref=f"y{ax} domain", x0=-0.02, x1=1.02,
                               y0=-0.01, y1=1.0, line=dict(color=HIGHLIGHT, width=3)))
    panel_px = max(170, 14 * n + 40)
    layout.update(annotations=annotations, shapes=shapes,
                  coloraxis=dict(colorscale=scale(WEIGHTS_COLORSCALE), cmin=0.0, cmax=1.0,
                                 colorbar=dict(title=dict(text="weight"), thickness=10)))
    title = f"Every head of the blocks: {n_layers} blocks × {n_heads} heads"
    return figure(data, frame(title, n_layers * (panel_px + 110) + 60, margin=dict(l=10, r=10, t=70, b=10),
                              **layout))


def _nth(tokens: Sequence[str]) -> list[tuple[int, str]]:
    """(how many times the token came before, token): labels of a category axis must be unique."""
    seen: dict[str, int] = {}
    out = []
    for t in tokens:
        out.append((seen.get(t, 0), t))
        seen[t] = seen.get(t, 0) + 1
    return out


def accuracy_curve(steps: Sequence[int], accuracy: Sequence[float], *, current: int | None = None,
                   last_step: int | None = None, title: str = "Held-out accuracy while training", height: int = 260):
    """Held-out accuracy [k] at training steps [k]; the current step marked; the x axis runs to `last_step`
    (a live training's total) when given."""
    data = [dict(type="scatter", mode="lines+markers", x=list(steps), y=[float(a) for a in accuracy],
                 line=dict(color=PRIMARY), marker=dict(size=6), name="held-out accuracy",
                 hovertemplate="step %{x}<br>held-out accuracy %{y:.1%}<extra></extra>")]
    shapes = []
    if current is not None:
        shapes.append(dict(type="line", x0=current, x1=current, y0=0, y1=1, yref="y", xref="x",
                           line=dict(color=HIGHLIGHT, dash="dash")))
    layout = frame(title, height, shapes=shapes, showlegend=False,
                   xaxis=dict(title=dict(text="training step"),
                              **({} if last_step is None else dict(range=[0, last_step]))),
                   yaxis=dict(title=dict(text="held-out accuracy"), range=[0, 1.05], tickformat=".0%"))
    return figure(data, layout)


def live_row(row: np.ndarray, tokens: Sequence[str], *, title: str):
    """The live training's current "it" row, green so it reads as "the model you are training"."""
    return weights_bar(np.asarray(row, dtype=float), tokens, title=title, x_title=KEY_AXIS, height=280,
                       color=SECONDARY, value_name="weight from “it”")
