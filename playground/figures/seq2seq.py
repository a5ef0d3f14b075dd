"""Figures of the bottleneck and reordering pages: influence of each input word on h_n, BLEU against length,
and cross-attention heatmaps with Tamil words and their glosses on the columns. Arrays in, go.Figure out."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from lessons.seq2seq_views import LengthAccuracy, LengthBleu, length_curve

from ..formatting import plotly_safe
from ..texts.seq2seq import MODEL_LABELS
from .base import TITLE_LINE_PX, SpecFigure, attention_heatmap, figure, frame, log_axis_ticks, with_shapes, wrap_title
from .palette import ACCENT, GRID, HIGHLIGHT, MARK, NOTE, PRIMARY, SECONDARY

TRAINED_COLOR = PRIMARY
RANDOM_COLOR = HIGHLIGHT
ATTENTION_COLOR = SECONDARY
NO_ATTENTION_COLOR = ACCENT
OUTPUT_AXIS = "English word written (query)"
SOURCE_AXIS = "Tamil word looked at (key)"


LEGEND_PX = 64  # room under the axis title for a legend of up to two rows


def _layout(title: str, height: int, **extra) -> dict:
    # the legend under the plot (beside the title it ran into it on a phone), placed in pixels from the bottom of the
    # figure: placed as a fraction of the plot's height it landed on the x-axis title on a short, narrow chart
    lines = wrap_title(title)  # a long title on two lines: on a phone it ran off the edge under the toolbar
    return frame("<br>".join(lines), height + LEGEND_PX,
                 legend=dict(orientation="h", yanchor="bottom", y=0, yref="container", xanchor="left", x=0),
                 margin=dict(l=10, r=10, t=50 + TITLE_LINE_PX * (len(lines) - 1), b=10 + LEGEND_PX), **extra)


def source_label(token: str, gloss: str) -> str:
    """Two-line tick label: the Tamil word over its gloss (escaped: Plotly reads a few HTML tags)."""
    return f"{html.escape(token, quote=False)}<br><i>{html.escape(gloss, quote=False)}</i>"


def influence_chart(trained: np.ndarray | None, trained_tokens: Sequence[str], trained_glosses: Sequence[str],
                    random_curve: np.ndarray, rho: float, trained_name: str = "trained GRU encoder") -> go.Figure:
    """‖∂h_n/∂x_t‖ against position t (1 = first word), log y: the trained encoder on a real sentence and the
    random Elman RNN. trained None (weights unavailable) draws the random RNN alone."""
    n = len(random_curve)
    x = list(range(1, n + 1))
    traces = []
    if trained is not None:
        hover = [f"{plotly_safe(t)} ({plotly_safe(g)})" for t, g in zip(trained_tokens, trained_glosses, strict=True)]
        traces.append(dict(type="scatter", mode="lines+markers", name=trained_name, x=x, y=[float(v) for v in trained],
                           customdata=hover, line=dict(color=TRAINED_COLOR, width=2), marker=dict(size=7),
                           hovertemplate="word %{x}: %{customdata}<br>‖∂h_n/∂x_t‖ = %{y:.3g}<extra>trained</extra>"))
    traces.append(dict(type="scatter", mode="lines+markers", name=f"random RNN, ρ = {rho:.2f}", x=x,
                       y=[float(v) for v in random_curve], line=dict(color=RANDOM_COLOR, width=2, dash="dash"),
                       marker=dict(size=7, symbol="diamond"),
                       hovertemplate="word %{x}<br>‖∂h_n/∂x_t‖ = %{y:.3g}<extra>random RNN</extra>"))
    layout = _layout("How strongly each input word still moves the encoder's final state h_n", 380,
                     xaxis=dict(title=dict(text="position t of the word in the sentence (1 = first)"),
                                range=[0.5, n + 0.5], dtick=1 if n <= 15 else 2, gridcolor=GRID),
                     yaxis=dict(title=dict(text="‖∂h_n/∂x_t‖ (log scale)"), type="log", gridcolor=GRID,
                                **log_axis_ticks([v for t in traces for v in t["y"]])))
    return figure(traces, layout)


def bleu_chart(bleu: Mapping[str, LengthBleu], accuracy: Mapping[str, LengthAccuracy],
               marked_length: int | None = None) -> go.Figure:
    """Corpus BLEU of each length bucket for each model, drawn at the bucket's middle length, as Bahdanau et al.
    draw BLEU against sentence length (their Fig. 2); hover adds the bucket's exact-match rate. The two models
    differ in colour, line style and marker, and each point carries its number, so the chart reads without colour."""
    styles = {"attention": (ATTENTION_COLOR, "solid", "circle"), "no_attention": (NO_ATTENTION_COLOR, "dot", "square")}
    traces = []
    for key, scores in bleu.items():
        name = MODEL_LABELS.get(key, key)
        color, dash, symbol = styles.get(key, (NOTE, "solid", "circle"))
        middles, labels = length_curve(scores)
        values = list(scores.per_bucket.values())
        exact = [f"{accuracy[key].rate(b):.1%}" if key in accuracy else "" for b in labels]
        traces.append(dict(type="scatter", mode="lines+markers+text", name=name, x=middles, y=values,
                           text=[f"{v:.1f}" for v in values], textposition="top center" if key == "attention"
                           else "bottom center", textfont=dict(color=color, size=12),
                           customdata=[[b, e] for b, e in zip(labels, exact, strict=True)],
                           line=dict(color=color, width=2, dash=dash), marker=dict(size=8, symbol=symbol),
                           hovertemplate=f"{name}<br>%{{customdata[0]}} Tamil tokens: BLEU %{{y:.1f}}, "
                                         "%{customdata[1]} exact<extra></extra>"))
    shapes, notes = [], []
    if marked_length is not None:
        shapes.append(dict(type="line", x0=marked_length, x1=marked_length, y0=0, y1=1, yref="paper",
                           line=dict(color=MARK, width=1, dash="dash")))
        notes.append(dict(x=marked_length, y=0.02, yref="paper", text=f" length {marked_length}", showarrow=False,
                          xanchor="left", yanchor="bottom", bgcolor="rgba(255,255,255,0.8)",
                          font=dict(size=11, color=NOTE)))  # inside the plot, clear of the legend
    first = next(iter(bleu.values()), None)
    middles, labels = length_curve(first) if first else ([], [])
    layout = _layout("BLEU on held-out sentences, by source length (each bucket scored as one corpus)", 400,
                     shapes=shapes, annotations=notes,
                     xaxis=dict(title=dict(text="source sentence length (Tamil tokens), bucket"), tickvals=middles,
                                ticktext=labels, gridcolor=GRID),
                     yaxis=dict(title=dict(text="BLEU (0-100)"), range=[-3, 108], gridcolor=GRID))
    return figure(traces, layout)


def source_names(source: Sequence[str], glosses: Sequence[str]) -> list[str]:
    """Each Tamil word with its gloss, "word (gloss)": the column names of hover text and CSV downloads."""
    return [f"{s} ({g})" for s, g in zip(source, glosses, strict=True)]


# Column labels stand on end when the chart is too narrow to lay them flat (Plotly decides at the real width). Standing,
# a two-line label (Tamil word over gloss) is about 30 px thick, so below this many px per column they would overlap.
MIN_COLUMN_PX = 32
CHAR_PX = 7  # about one character of the 13 px tick font (Tamil letters included)
AXIS_TITLE_PX = 40  # the y-axis title and the gap before the row labels
COLORBAR_PX = 80  # the colour bar, its numbers and its title


def _longest(words: Sequence[str]) -> int:
    return max((len(w) for w in words), default=0)


def alignment_heatmap(weights: np.ndarray, target: Sequence[str], source: Sequence[str], glosses: Sequence[str],
                      *, title: str, kind: str = "weights", height: int | None = None,
                      value_name: str | None = None, score_bound: float | None = None) -> go.Figure:
    """Cross-attention [T, S]: rows the English words written, columns the Tamil words, each over its gloss (also in
    the hover), numbers on the cells up to 12 x 12; score_bound: see base.attention_heatmap_spec.
    Give the chart at least `alignment_min_width(...)` px, or long sentences' labels crowd each other."""
    n, m = np.shape(weights)
    ticks = [source_label(s, g) for s, g in zip(source, glosses, strict=True)]
    label_px = CHAR_PX * max(_longest(source), _longest(glosses))  # the labels' length when they stand on end
    return attention_heatmap(
        weights, list(target), source_names(source, glosses), title=title, kind=kind,
        x_title=SOURCE_AXIS, y_title=OUTPUT_AXIS, value_name=value_name, show_values=n <= 12 and m <= 12,
        height=height or max(300, 130 + 26 * n) + label_px,
        col_ticks=ticks, tick_angle="auto", hover_chars=60, score_bound=score_bound)


def with_reading_boxes(fig: SpecFigure, cols: Sequence[int]) -> SpecFigure:
    """Dotted boxes on an alignment heatmap [T, S]: row i's box on column cols[i], the source word a strict
    left-to-right reading gives output word i, so the learned attention is read against it in one chart."""
    return with_shapes(fig, [dict(type="rect", xref="x", yref="y", x0=c - 0.5, x1=c + 0.5, y0=i - 0.5, y1=i + 0.5,
                                  line=dict(color=HIGHLIGHT, width=2, dash="dot")) for i, c in enumerate(cols)])


def alignment_min_width(target: Sequence[str], n_source: int) -> int:
    """The narrowest width (px) at which `alignment_heatmap` keeps every label readable: the English row labels,
    MIN_COLUMN_PX per Tamil column, the colour bar."""
    return AXIS_TITLE_PX + CHAR_PX * _longest(target) + MIN_COLUMN_PX * n_source + COLORBAR_PX
