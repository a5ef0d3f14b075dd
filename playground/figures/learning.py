"""Figures of the Learning-to-attend page: the resolving head's "it" row, every layer x head as small multiples,
and held-out accuracy over training steps. Builders take arrays and labels; no model calls here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import KEY_AXIS, figure, frame, weights_bar
from .palette import HIGHLIGHT, PRIMARY, SECONDARY
from .small_multiples import MAX_WORDS_WITH_NUMBERS, columns_that_fit, small_multiples


def head_label(layer: int, head: int) -> str:
    """1-based for people: the model counts from 0."""
    return f"layer {layer + 1} · head {head + 1}"


def it_row(row: np.ndarray, tokens: Sequence[str], *, title: str, height: int = 300):
    """The weights of "it" over every token of the sentence, percentages on the bars."""
    return weights_bar(np.asarray(row, dtype=float), tokens, title=title, x_title=KEY_AXIS, height=height,
                       value_name="weight from “it”")


def every_head(weights: np.ndarray, tokens: Sequence[str], resolving: tuple[int, int] | None, it_index: int):
    """weights [L, H, n, n] -> every head side by side (figures/small_multiples), a row of H panels per layer (two a
    row when a laptop's column cannot hold H), titled
    "L2 H3" (layer 2, head 3). The "it" row is outlined and carries its percentages in every panel while the
    sentence is short enough for them to fit (the other cells tell theirs on hover: printed everywhere, eight panels
    would be a wall of digits); the resolving head, if one is given, is framed and its title says so."""
    w = np.asarray(weights, dtype=float)
    n_layers, n_heads, n, _ = w.shape
    titles = [f"L{la + 1} H{h + 1}" + (" ◀ “it”" if resolving is not None and (la, h) == tuple(resolving) else "")
              for la in range(n_layers) for h in range(n_heads)]
    framed = None if resolving is None else resolving[0] * n_heads + resolving[1]
    numbers = n <= MAX_WORDS_WITH_NUMBERS
    return small_multiples(w.reshape(n_layers * n_heads, n, n), tokens, titles,
                           cols=columns_that_fit(n_heads, n, tokens, numbers),
                           title=f"Every head of the blocks: {n_layers} blocks × {n_heads} heads (%)",
                           numbers="row" if numbers else "none", highlight_row=it_index, framed=framed,
                           hover_names=[head_label(la, h).replace("layer", "block") for la in range(n_layers)
                                        for h in range(n_heads)])


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
