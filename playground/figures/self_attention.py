"""Figures and rendered snippets for the Self-attention page. Arrays in, figures (or escaped HTML) out; no math."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

from ..formatting import plotly_safe
from .base import MAX_CELLS_WITH_TEXT, attention_heatmap, attention_heatmap_spec, figure, frame, scale, weights_bar
from .palette import (
    ACCENT,
    BLACK,
    COLORBLIND_COLORS,
    COLORBLIND_SCALES,
    DARK,
    GRID,
    HIGHLIGHT,
    INK,
    MUTED,
    PAPER,
    PRIMARY,
    SECONDARY,
    SHADE_RGB,
    WEIGHTS_COLORSCALE,
)

STEPS = ("X", "Q", "K", "V", "Q·Kᵀ", "scaled", "masked", "weights", "output")  # the inspector's matrices, in order
TEMPERATURE_STEPS = ("scaled", "masked", "weights", "output")  # the steps the temperature changes


def shaded_sentence_html(tokens: Sequence[str], weights: np.ndarray, selected: int, *, colorblind: bool = False) -> str:
    """The sentence as inline boxes, each shaded by its weight and labelled with its percentage, the selected word
    ringed. Raw HTML, so the display mode's restyling of charts never reaches it: `colorblind` picks the colour-blind
    weights scale for the boxes (each at its weight's value, as on the heatmap) and the colour-blind HIGHLIGHT.

    Every token goes through html.escape, so user text is shown as typed and never parsed as markup.
    """
    w = np.asarray(weights, dtype=float)  # [m]
    clipped = np.clip(w, 0.0, 1.0).tolist()
    if colorblind:
        stops = [list(stop) for stop in scale(COLORBLIND_SCALES[WEIGHTS_COLORSCALE])]
        backgrounds = sample_colorscale(stops, clipped) if clipped else []
        inks = [_readable_ink(unlabel_rgb(colour)) for colour in backgrounds]
        ring_colour = COLORBLIND_COLORS[HIGHLIGHT]
    else:
        alphas = [0.08 + 0.92 * v for v in clipped]
        backgrounds = [f"rgba({SHADE_RGB[0]},{SHADE_RGB[1]},{SHADE_RGB[2]},{alpha:.3f})" for alpha in alphas]
        inks = [PAPER if alpha > 0.55 else INK for alpha in alphas]
        ring_colour = HIGHLIGHT
    boxes = []
    for i, (token, value) in enumerate(zip(tokens, w)):
        ring = f"outline:2px solid {ring_colour};outline-offset:1px;" if i == selected else ""
        boxes.append(
            f'<span style="display:inline-block;margin:3px 2px;padding:2px 7px 1px;border-radius:6px;text-align:center;'
            f'background:{backgrounds[i]};color:{inks[i]};{ring}">'
            f'<span style="font-size:1.05rem">{html.escape(str(token), quote=True)}</span><br>'
            f'<span style="font-size:0.72rem;opacity:0.9">{100 * value:.0f}%</span></span>'
        )
    return f'<div style="line-height:1.25;font-family:Source Sans Pro,sans-serif">{"".join(boxes)}</div>'


def _luminance(rgb: Sequence[float]) -> float:
    # WCAG 2 relative luminance of an sRGB colour given as 0..255 channels
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _readable_ink(rgb: Sequence[float]) -> str:
    """BLACK or PAPER, whichever contrasts more with a box of colour `rgb` (Viridis runs from dark purple to yellow,
    so the text is white on low weights and black on high ones; INK would fall short of 4.5:1 on its middle)."""
    box = _luminance(rgb)
    contrast = {ink: (max(box, lum) + 0.05) / (min(box, lum) + 0.05)
                for ink, lum in ((BLACK, _luminance(hex_to_rgb(BLACK))), (PAPER, _luminance(hex_to_rgb(PAPER))))}
    return max(contrast, key=contrast.get)


PRINTED_COLUMN_PX = 34  # a cell that prints "0.15" at the heatmap's text size, readable without zooming


def weights_min_width(labels: Sequence[str]) -> int:
    """The narrowest width (px) at which `weights_heatmap` prints every weight readably: the query labels and the
    axis title, then PRINTED_COLUMN_PX per key. Past MAX_CELLS_WITH_TEXT nothing is printed: no minimum."""
    if len(labels) > MAX_CELLS_WITH_TEXT:
        return 0
    return 40 + 7 * max((len(t) for t in labels), default=0) + PRINTED_COLUMN_PX * len(labels)


def weights_heatmap(weights: np.ndarray, labels: Sequence[str], *, selected: int, scaled: bool, d_k: int,
                    temperature: float) -> go.Figure:
    """The page's main heatmap, rows clickable, the chosen word's row outlined. Past 20 tokens the slanted key labels
    would overlap, so they stand upright, a little smaller."""
    m = len(labels)
    factor = f"/ √{d_k}" if scaled else "(not scaled)"
    temp = f" / temperature {temperature:g}" if temperature != 1 else ""
    spec = attention_heatmap_spec(weights, labels, labels, title=f"Attention weights: softmax(Q·Kᵀ {factor}{temp})",
                                  highlight_row=selected, height=max(380, 90 + 26 * m), clickable=True,
                                  tick_angle=-90 if m > 20 else None)
    if m > 20:
        spec["layout"]["xaxis"]["tickfont"] = dict(size=10)
        spec["layout"]["yaxis"]["tickfont"] = dict(size=11)
    return figure(spec["data"], spec["layout"])


def step_heatmap(step: str, matrix: np.ndarray, labels: Sequence[str], *, features: Sequence[str], identity: bool,
                 scaled: bool, d_k: int, temperature: float, positions: bool) -> go.Figure:
    """One matrix of the inspector (a name of STEPS). Rows are the tokens; columns the named features (X), the
    projected dimensions (Q, K, V, output: the features again with identity projections) or the keys (the score
    and weight matrices)."""
    rows, n_cols = np.shape(matrix)
    dims = list(features) if identity else [f"dim {i + 1}" for i in range(n_cols)]
    scale_text = (f"÷ √{d_k}" if scaled else "× 1 (scaling off)") + (f" ÷ {temperature:g}" if temperature != 1 else "")
    per_token = {  # step: (columns, title); the others are [query, key] matrices
        "X": (list(features), "X: one vector per token" + (" (with positions)" if positions else "")),
        "Q": (dims, "Q = X·W_Q: what each token is looking for"),
        "K": (dims, "K = X·W_K: what each token offers to be found by"),
        "V": (dims, "V = X·W_V: what each token hands over when chosen"),
        "output": (dims, "output = weights·V: each token rebuilt from the others"),
    }
    by_key = {
        "Q·Kᵀ": "Q·Kᵀ: raw score of every query against every key",
        "scaled": f"scaled: Q·Kᵀ {scale_text}",
        "masked": "masked: −∞ where a key is hidden",
        "weights": "weights: softmax of each row",
    }
    cols, title = per_token[step] if step in per_token else (list(labels), by_key[step])
    axes = (dict(x_title="feature" if step == "X" else "dimension", y_title="token", value_name="value")
            if step in per_token else {})  # [query, key]: the heatmap's own axis titles
    m = len(labels)
    return attention_heatmap(matrix, labels, cols, title=f"{title}  —  shape [{rows} × {n_cols}]",
                             kind="weights" if step == "weights" else "scores", height=max(300, 110 + 24 * m),
                             show_values=m <= 12 and n_cols <= 16, **axes)


def query_bar(weights: np.ndarray, labels: Sequence[str], query_label: str, selected: int) -> go.Figure:
    """One query's weights over the keys (its row of the heatmap) as horizontal bars in sentence order, so every word
    and every percentage has room to be read; the word itself in red so 'itself' is easy to find."""
    w = np.asarray(weights, dtype=float)  # [m]
    m = len(w)
    names = [plotly_safe(s) for s in labels]
    bar = dict(type="bar", orientation="h", x=w.tolist(), y=list(range(m)), customdata=names, cliponaxis=False,
               marker=dict(color=[HIGHLIGHT if i == selected else PRIMARY for i in range(m)]),
               text=[f"{100 * v:.0f}%" for v in w], textposition="outside", textfont=dict(size=11),
               hovertemplate="%{customdata}<br>weight %{x:.3f}<extra></extra>")
    layout = frame(
        f"Where {plotly_safe(query_label)} looks (its row of the heatmap)", max(240, 70 + 20 * m),
        uniformtext=dict(minsize=10, mode="show"),
        xaxis=dict(title=dict(text="weight"), range=[0, max(1.0, float(w.max(initial=0)) * 1.15)], tickformat=".0%",
                   showgrid=True, gridcolor=GRID),
        yaxis=dict(title=dict(text="word looked at"), tickvals=list(range(m)), ticktext=names, autorange="reversed"),
        bargap=0.25,
    )
    layout["margin"] = dict(l=10, r=30, t=50, b=10)
    return figure([bar], layout)


def scaling_bars(unscaled: np.ndarray, scaled: np.ndarray, d: int) -> tuple[go.Figure, go.Figure]:
    """Two bar charts of the same random scores: softmax as is, and after dividing by sqrt(d)."""
    labels = [f"key {i + 1}" for i in range(len(unscaled))]
    left = weights_bar(unscaled, labels, title=f"softmax(q·k), d = {d}: no scaling", x_title="key")
    right = weights_bar(scaled, labels, title=f"softmax(q·k / √{d}): scaled", color=SECONDARY, x_title="key")
    return left, right


def saturation_figure(ds: np.ndarray, unscaled: np.ndarray, scaled: np.ndarray, current: int,
                      current_values: tuple[float, float]) -> go.Figure:
    """Average largest weight against d, with and without scaling, with the chosen d marked."""
    hover = "d = %{x}<br>largest weight %{y:.0%} on average<extra>"
    data = [
        dict(type="scatter", x=list(map(int, ds)), y=np.asarray(unscaled).tolist(), mode="lines", name="no scaling",
             line=dict(color=PRIMARY, width=3), hovertemplate=hover + "no scaling</extra>"),
        dict(type="scatter", x=list(map(int, ds)), y=np.asarray(scaled).tolist(), mode="lines", name="divided by √d",
             line=dict(color=SECONDARY, width=3), hovertemplate=hover + "scaled</extra>"),
        dict(type="scatter", x=[current, current], y=list(current_values), mode="markers", showlegend=False,
             marker=dict(color=[PRIMARY, SECONDARY], size=11, line=dict(color=INK, width=1)),
             hovertemplate="your d = %{x}<br>%{y:.0%}<extra></extra>"),
    ]
    layout = frame(
        "How peaked softmax gets as d grows (8 keys, 200 random draws per d)", 340,
        xaxis=dict(title=dict(text="d (length of query and key vectors), log scale"), type="log",
                   range=[float(np.log10(min(ds))) - 0.03, float(np.log10(max(ds))) + 0.03],
                   tickvals=[4, 8, 16, 32, 64, 128, 256, 512], ticktext=["4", "8", "16", "32", "64", "128", "256", "512"]),
        yaxis=dict(title=dict(text="largest softmax weight (average)"), range=[0, 1.05], tickformat=".0%"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
        shapes=[dict(type="line", xref="x", yref="paper", x0=current, x1=current, y0=0, y1=1,
                     line=dict(color=MUTED, dash="dot"))],
    )
    return figure(data, layout)


def _away(point: np.ndarray, origin: np.ndarray | None, near: bool) -> str:
    """A label position on the far side of a point from the static star: the arrow from the star ends at the point,
    so a label there never sits on its own line (labels above every point sat on the arrows pointing up)."""
    if origin is None or np.allclose(point, origin):
        return "bottom center" if near else "top center"
    dx, dy = point - origin
    vertical = "top" if dy > 0 else "bottom"
    if near:  # a point close to an earlier one: the other side, so the two labels stay apart
        vertical = "bottom" if vertical == "top" else "top"
    return f"{vertical} {'right' if dx > 0 else 'left'}"


def sense_scatter(coords: np.ndarray, labels: Sequence[str], groups: Sequence[str], explained: np.ndarray,
                  word: str) -> go.Figure:
    """PCA map: the static vector as a star, each context's output as a dot, an arrow from the star to each dot."""
    palette = {"static": DARK, "fruit": SECONDARY, "company": PRIMARY, "your sentence": HIGHLIGHT}
    coords = np.asarray(coords, dtype=float)  # [k, 2]
    static = [i for i, g in enumerate(groups) if g == "static"]
    origin = coords[static[0]] if static else None
    span = np.ptp(coords, axis=0) if len(coords) else np.ones(2)  # [2]
    # a label whose point nearly sits on an earlier one goes below it, so the two stay readable
    near = [any(np.all(np.abs(coords[i] - coords[j]) < np.maximum(span * 0.12, 1e-9)) for j in range(i))
            for i in range(len(coords))]
    data, arrows = [], []
    for group in dict.fromkeys(groups):
        idx = [i for i, g in enumerate(groups) if g == group]
        color = palette.get(group, ACCENT)
        data.append(dict(
            type="scatter", x=coords[idx, 0].tolist(), y=coords[idx, 1].tolist(), mode="markers+text", name=group,
            text=[plotly_safe(labels[i], 34) for i in idx], cliponaxis=False,
            textposition=[_away(coords[i], origin, near[i]) for i in idx],
            marker=dict(size=18 if group == "static" else 12, symbol="star" if group == "static" else "circle",
                        color=color, line=dict(color=PAPER, width=1)),
            hovertemplate="%{text}<br>direction 1: %{x:.2f}, direction 2: %{y:.2f}<extra>" + group + "</extra>",
        ))
        if origin is not None and group != "static":
            arrows += [dict(x=float(coords[i, 0]), y=float(coords[i, 1]), ax=float(origin[0]), ay=float(origin[1]),
                            xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=1.2,
                            arrowcolor=color, opacity=0.5, text="") for i in idx]
    # room around the points for their labels (a sentence, up to 34 characters, beside or under its dot): with less,
    # a label by the edge ran over the axis's numbers and title
    pad = np.maximum(span * np.array([0.55, 0.3]), np.array([0.6, 0.35]))  # [2]
    lo, hi = (coords.min(axis=0) - pad, coords.max(axis=0) + pad) if len(coords) else (-pad, pad)
    layout = frame(
        f"{plotly_safe(word)}: one static vector, a different output in every sentence", 460,
        xaxis=dict(title=dict(text=f"main direction 1 ({100 * explained[0]:.0f}% of the spread)"),
                   range=[float(lo[0]), float(hi[0])], zeroline=False, showgrid=True, gridcolor=GRID),
        yaxis=dict(title=dict(text=f"direction 2 ({100 * explained[1]:.0f}%)"), range=[float(lo[1]), float(hi[1])],
                   zeroline=False, showgrid=True, gridcolor=GRID),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
        annotations=arrows,
    )
    return figure(data, layout)
