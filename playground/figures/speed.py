"""Figures for the Speed page: measured time, machine-independent counts, the P-workers model, peak memory.

Arrays in, Plotly figures out; every number drawn was computed by attention_core (the sentences are in texts.speed).
The figures are built as plain dicts without Plotly's per-property validation (base.figure):
the page draws four of them on every rerun, and validation alone would cost more than the whole rerun budget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ..texts.speed import MIB
from .base import figure, frame, log_axis_ticks
from .palette import DARK, GRID, HIGHLIGHT, MUTED, PRIMARY, SECONDARY

RNN_COLOR = HIGHLIGHT  # red: the sequential one
ATTENTION_COLOR = PRIMARY  # blue: the parallel one
CHUNKED_COLOR = SECONDARY
FORMULA_COLOR = MUTED
GRID_COLOR = GRID
HEIGHT = 380


def _floats(values) -> list[float]:
    return [float(v) for v in values]


def _line(x, y, name: str, color: str, hover: str, dash: str = "solid", markers: bool = True) -> dict:
    return dict(type="scatter", x=list(x), y=list(y), name=name, mode="lines+markers" if markers else "lines",
                line=dict(color=color, width=2.5 if markers else 1.5, dash=dash), marker=dict(size=7),
                hovertemplate=hover)


def _figure(traces: list[dict], title: str, x_title: str, y_title: str, *, ticks: Sequence[int] | None = None,
            legend_rows: int = 1, height: int = HEIGHT, shapes=(), annotations=(), power_ticks: bool = False) -> go.Figure:
    """Log-log axes, the title pinned to the top with a legend of `legend_rows` rows under it."""
    # no minor gridlines: on a log axis they crowd into a grey band
    xaxis = dict(type="log", title=dict(text=x_title), gridcolor=GRID_COLOR, minor=dict(showgrid=False))
    yaxis = dict(type="log", title=dict(text=y_title), gridcolor=GRID_COLOR, minor=dict(showgrid=False),
                 **log_axis_ticks([v for t in traces for v in t["y"]]))
    if ticks is not None:
        xaxis.update(tickvals=list(ticks), ticktext=[f"{n:,}" for n in ticks])
    if power_ticks:
        xaxis["exponentformat"] = yaxis["exponentformat"] = "power"
    # the legend under the plot: above it, on a phone its entries wrapped onto rows that ran into the title
    # (in pixels below the plot area, clear of the axis title: a fraction of the plot height ran into it when short)
    layout = frame(title, height + 22 * legend_rows + 30, margin=dict(l=10, r=10, t=50, b=40 + 22 * legend_rows),
                   legend=dict(orientation="h", yanchor="bottom", y=0, yref="container", xanchor="left", x=0),
                   hovermode="x unified",
                   xaxis=xaxis, yaxis=yaxis, shapes=list(shapes), annotations=list(annotations))
    return figure(traces, layout)


def _vline(x: float) -> dict:
    # shapes take data values on a log axis; annotations (below) take log10 of them
    return dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                line=dict(color=FORMULA_COLOR, dash="dash", width=1.5))


def _spread_bars(fastest_ms: list[float], spreads: Sequence[float]) -> dict:
    """Error bars from the fastest run up to the second fastest (capped at 10x, so one outlier cannot hide the rest)."""
    up = [t * min(float(s), 9.0) if math.isfinite(s) else 9.0 * t for t, s in zip(fastest_ms, spreads)]
    return dict(type="data", symmetric=False, array=up, arrayminus=[0.0] * len(up), thickness=1.5, width=3)


def timing_chart(ns: Sequence[int], points: Sequence, d: int) -> go.Figure:
    """Measured fastest wall time (ms) vs n, log-log, one line per layer, bars up to the second fastest run, and a
    ✕ on the points the measurement does not trust. points: SpeedPoint-like, one per n."""
    rnn = _floats(1e3 * np.asarray([p.rnn_s for p in points]))
    att = _floats(1e3 * np.asarray([p.attention_s for p in points]))
    traces = [
        _line(ns, rnn, "RNN: n steps in a loop", RNN_COLOR, "RNN %{y:.3g} ms<extra></extra>"),
        _line(ns, att, "attention: one pass", ATTENTION_COLOR, "attention %{y:.3g} ms<extra></extra>"),
    ]
    traces[0]["error_y"] = _spread_bars(rnn, [p.rnn_spread for p in points])
    traces[1]["error_y"] = _spread_bars(att, [p.attention_spread for p in points])
    flagged = [i for i, p in enumerate(points) if not p.trusted]
    if flagged:
        traces.append(dict(type="scatter", mode="markers", name="not trusted (runs disagree)",
                           x=[ns[i] for i in flagged] * 2, y=[rnn[i] for i in flagged] + [att[i] for i in flagged],
                           marker=dict(symbol="x-thin", size=14, line=dict(width=2, color=DARK)),
                           hovertemplate="not trusted %{y:.3g} ms<extra></extra>"))
    return _figure(traces, f"Measured on this machine (d = {d})", "n (tokens in the sequence)", "fastest run (ms)",
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
