"""Figures for the Speed page: measured time, machine-independent counts, the P-workers model, peak memory.

Arrays in, Plotly figures out (plus the page's number formats); every number drawn was computed by attention_core.
The figures are built as plain dicts without Plotly's per-property validation (base.figure):
the page draws four of them on every rerun, and validation alone would cost more than the whole rerun budget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .base import figure, frame
from .palette import DARK, GRID, HIGHLIGHT, MUTED, PRIMARY, SECONDARY

RNN_COLOR = HIGHLIGHT  # red: the sequential one
ATTENTION_COLOR = PRIMARY  # blue: the parallel one
CHUNKED_COLOR = SECONDARY
FORMULA_COLOR = MUTED
GRID_COLOR = GRID
MIB = 2**20
HEIGHT = 380


def ms(seconds: float) -> str:
    """0.01234 -> '12.3 ms'; three significant digits below 100 ms, whole milliseconds above."""
    value = 1e3 * float(seconds)
    return f"{value:.3g} ms" if value < 100 else f"{value:,.0f} ms"


def mib(n_bytes: float) -> str:
    """Bytes as MiB, three significant digits below 100 MiB."""
    value = float(n_bytes) / MIB
    return f"{value:.3g} MiB" if value < 100 else f"{value:,.0f} MiB"


def times(ratio: float) -> str:
    """A ratio as '6.6×' or '32×'."""
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:,.0f}×"


def _floats(values) -> list[float]:
    return [float(v) for v in values]


def _line(x, y, name: str, color: str, hover: str, dash: str = "solid", markers: bool = True) -> dict:
    return dict(type="scatter", x=list(x), y=list(y), name=name, mode="lines+markers" if markers else "lines",
                line=dict(color=color, width=2.5 if markers else 1.5, dash=dash), marker=dict(size=7),
                hovertemplate=hover)


def _figure(traces: list[dict], title: str, x_title: str, y_title: str, *, ticks: Sequence[int] | None = None,
            legend_rows: int = 1, height: int = HEIGHT, shapes=(), annotations=(), power_ticks: bool = False) -> go.Figure:
    """Log-log axes, the title pinned to the top with a legend of `legend_rows` rows under it."""
    xaxis = dict(type="log", title=dict(text=x_title), gridcolor=GRID_COLOR)
    yaxis = dict(type="log", title=dict(text=y_title), gridcolor=GRID_COLOR)
    if ticks is not None:
        xaxis.update(tickvals=list(ticks), ticktext=[f"{n:,}" for n in ticks])
    if power_ticks:
        xaxis["exponentformat"] = yaxis["exponentformat"] = "power"
    layout = frame(title, height, margin=dict(l=10, r=10, t=60 + 22 * legend_rows, b=10),
                   legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), hovermode="x unified",
                   xaxis=xaxis, yaxis=yaxis, shapes=list(shapes), annotations=list(annotations))
    layout["title"].update(y=0.98, yanchor="top", yref="container")  # pinned above the legend
    return figure(traces, layout)


def _vline(x: float) -> dict:
    # shapes take data values on a log axis; annotations (below) take log10 of them
    return dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                line=dict(color=FORMULA_COLOR, dash="dash", width=1.5))


def timing_chart(ns: Sequence[int], rnn_s: Sequence[float], attention_s: Sequence[float], d: int) -> go.Figure:
    """Measured median wall time (ms) vs n, log-log, one line per layer."""
    traces = [
        _line(ns, _floats(1e3 * np.asarray(rnn_s)), "RNN: n steps in a loop", RNN_COLOR,
              "RNN %{y:.3g} ms<extra></extra>"),
        _line(ns, _floats(1e3 * np.asarray(attention_s)), "attention: one pass", ATTENTION_COLOR,
              "attention %{y:.3g} ms<extra></extra>"),
    ]
    return _figure(traces, f"Measured on this machine (d = {d})", "n (tokens in the sequence)", "median time (ms)",
                   ticks=ns)


def counts_chart(ns: Sequence[int], rnn_madds: Sequence[int], attention_madds: Sequence[int], crossover: int) -> go.Figure:
    """Multiply-adds per layer vs n, log-log, with the crossover n = d marked."""
    traces = [
        _line(ns, [int(v) for v in rnn_madds], "RNN: 2·n·d²", RNN_COLOR, "RNN %{y:.3s} multiply-adds<extra></extra>"),
        _line(ns, [int(v) for v in attention_madds], "attention: 2·n²·d", ATTENTION_COLOR,
              "attention %{y:.3s} multiply-adds<extra></extra>"),
    ]
    label = dict(x=math.log10(crossover), y=1, xref="x", yref="paper", yanchor="top", xanchor="left",
                 showarrow=False, text=f" crossover n = d = {crossover}", font=dict(color=DARK))
    return _figure(traces, "Arithmetic, the same on every machine", "n (tokens in the sequence)",
                   "multiply-adds per layer", ticks=ns, shapes=[_vline(crossover)], annotations=[label])


def workers_chart(workers: Sequence[int], rnn_ticks: Sequence[int], attention_ticks: Sequence[int], chosen: int,
                  rnn_span: int, n: int, d: int) -> go.Figure:
    """Model ticks vs number of workers P, log-log, with the RNN's floor of n steps and the chosen P marked."""
    traces = [
        _line(workers, [int(v) for v in rnn_ticks], "RNN", RNN_COLOR, "RNN %{y:,} ticks<extra></extra>",
              markers=False),
        _line(workers, [int(v) for v in attention_ticks], "attention", ATTENTION_COLOR,
              "attention %{y:,} ticks<extra></extra>", markers=False),
    ]
    floor = dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=rnn_span, y1=rnn_span,
                 line=dict(color=RNN_COLOR, dash="dot", width=1))
    label = dict(x=0, xref="paper", y=math.log10(rnn_span), yref="y", yanchor="bottom", xanchor="left",
                 showarrow=False, text=f"RNN floor: n = {n:,} steps, whatever P", font=dict(color=RNN_COLOR))
    return _figure(traces, f"Model: ticks = max(work / P, span), n = {n:,}, d = {d}", "P (parallel workers)",
                   "ticks (model)", shapes=[floor, _vline(chosen)], annotations=[label], power_ticks=True)


def memory_chart(ns: Sequence[int], plain_bytes: Sequence[int], chunked_bytes: Sequence[int], block: int,
                 matrix_bytes: Sequence[int], slice_bytes: Sequence[int]) -> go.Figure:
    """Measured peak memory (MiB) vs n, log-log, beside the formulas n²·8 and n·min(n, block)·8 bytes."""
    def in_mib(values):
        return _floats(np.asarray(values, dtype=float) / MIB)

    traces = [
        _line(ns, in_mib(plain_bytes), "plain: peak measured", ATTENTION_COLOR, "plain %{y:.3g} MiB<extra></extra>"),
        _line(ns, in_mib(chunked_bytes), f"chunked (block {block}): peak measured", CHUNKED_COLOR,
              "chunked %{y:.3g} MiB<extra></extra>"),
        _line(ns, in_mib(matrix_bytes), "formula n²·8 bytes (one n×n matrix)", ATTENTION_COLOR,
              "n²·8 B = %{y:.3g} MiB<extra></extra>", dash="dot", markers=False),
        _line(ns, in_mib(slice_bytes), f"formula n·min(n, {block})·8 bytes (one n×block slice)", CHUNKED_COLOR,
              "n·min(n, block)·8 B = %{y:.3g} MiB<extra></extra>", dash="dot", markers=False),
    ]
    return _figure(traces, "Peak memory of one attention call, measured with tracemalloc", "n (tokens in the sequence)",
                   "peak memory (MiB)", ticks=ns, legend_rows=2, height=420)


# ---------------------------------------------------------------------------------------------------------------
# Captions: numbers from attention_core in, Markdown out (kept here so the page script stays a short story)


def measurement_summary(points: Sequence, d: int, work_ratio: float, slower_from: int | None) -> str:
    """What the machine showed: arithmetic ratio and time ratio at the largest n, the smallest n, where they cross.

    points: SpeedPoint-like (n, rnn_s, attention_s), ascending n, all times > 0; work_ratio = attention / RNN
    multiply-adds at the largest n; slower_from = attention_slower_from(points).
    """
    top, first = points[-1], points[0]
    if work_ratio == 1:
        work = "attention did exactly as many multiply-adds as the RNN (n = d)"
    elif work_ratio > 1:
        work = f"attention did **{times(work_ratio)}** as many multiply-adds as the RNN"
    else:
        work = f"attention did only **{times(work_ratio)}** the RNN's multiply-adds (n < d)"
    ratio = top.attention_s / top.rnn_s
    if ratio >= 1:
        took = f"and on this machine took **{times(ratio)}** as long: {ms(top.attention_s)} against {ms(top.rnn_s)}"
    else:
        took = f"and on this machine was **{times(1 / ratio)}** faster: {ms(top.attention_s)} against the RNN's {ms(top.rnn_s)}"
    faster = [p.n for p in points if p.attention_s < p.rnn_s]
    if len(faster) == len(points):
        where = "Attention was the faster of the two at every measured n."
    elif not faster:
        where = "The RNN was the faster of the two at every measured n."
    elif slower_from is not None and faster == [p.n for p in points if p.n < slower_from]:
        where = f"Attention was faster up to n = {faster[-1]:,} and slower from n = {slower_from:,} on."
    else:
        where = f"Attention was faster at n = {', '.join(f'{n:,}' for n in faster)} and slower at the others."
    growth = ""
    if len(points) >= 2:
        prev = points[-2]
        growth = (f" Going from n = {prev.n:,} to n = {top.n:,} multiplied the RNN's time by "
                  f"{top.rnn_s / prev.rnn_s:.2g} and attention's by {top.attention_s / prev.attention_s:.2g}.")
    return (f"**What this machine showed.** At n = {top.n:,} and d = {d}, {work}, {took}. At n = {first.n} the RNN "
            f"took {ms(first.rnn_s)} for its {first.n} steps and attention {ms(first.attention_s)}. {where}{growth}")


def counts_table(d: int, rnn, attention, matrix_bytes: int) -> str:
    """The four machine-independent counts (LayerCosts of both layers) as a Markdown table."""
    return (
        "| per layer | RNN | self-attention |\n|---|---|---|\n"
        f"| operations that must run one after another | n = {rnn.sequential_ops:,} | {attention.sequential_ops} |\n"
        f"| longest path between two tokens | n − 1 = {rnn.max_path_length:,} | {attention.max_path_length} |\n"
        f"| multiply-adds | 2·n·d² = {rnn.multiply_adds:,} | 2·n²·d = {attention.multiply_adds:,} |\n"
        f"| attention weights held at once | none (one state of d = {d} numbers) | n² = {attention.weight_entries:,} "
        f"numbers, {mib(matrix_bytes)} in float64 |"
    )


def workers_summary(p: int, rnn_ticks: int, attention_ticks: int, rnn_ws, attention_ws, first_win: int | None) -> str:
    """The model's verdict at P workers; first_win = the smallest P at which attention needs fewer ticks."""
    win = (f"Attention needs fewer ticks than the RNN from P = {first_win:,} workers on." if first_win is not None
           else "In this range of P attention never needs fewer ticks than the RNN.")
    return (f"With **P = {p:,}** workers the model gives the RNN **{rnn_ticks:,}** ticks, and it can never go below "
            f"its n = {rnn_ws.span:,} steps however many workers join, because each step needs the one before. "
            f"Attention gets **{attention_ticks:,}** ticks: its {attention_ws.work:,} multiply-adds are all "
            f"independent, so its time keeps shrinking as P grows, down to {attention_ws.span} tick. {win}")


def memory_summary(point, matrix_bytes: int) -> str:
    """Plain vs chunked peak at the largest n (a MemoryPoint), against one n x n matrix of matrix_bytes."""
    return (f"At n = {point.n:,} the plain `scaled_dot_product_attention` peaked at **{mib(point.plain_bytes)}**, "
            f"{point.plain_bytes / matrix_bytes:.2g} times n²·8 bytes = {mib(matrix_bytes)}: it returns the scores, "
            f"logits and weights, each an n × n matrix. `chunked_attention` reads the keys {point.block} at a time "
            f"and keeps only a running maximum and a running sum per query (the online softmax of FlashAttention); "
            f"it peaked at **{mib(point.chunked_bytes)}**, {point.plain_bytes / max(point.chunked_bytes, 1):.2g} times less, "
            f"and its output differs from the plain one by at most {point.max_abs_difference:.1e}.")
