"""Figures for the Speed page: measured time, machine-independent counts, the P-workers model, peak memory.

Arrays in, Plotly figures out (plus the page's number formats); every number drawn was computed by attention_core.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .charts import base_layout

RNN_COLOR = "#d62728"  # red: the sequential one
ATTENTION_COLOR = "#1f77b4"  # blue: the parallel one
FORMULA_COLOR = "#7f7f7f"
MIB = 2**20


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


def _log_axes(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    fig.update_xaxes(type="log", title=x_title, gridcolor="#eeeeee")
    fig.update_yaxes(type="log", title=y_title, gridcolor="#eeeeee")
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
                      hovermode="x unified")
    return fig


def _line(x, y, name: str, color: str, hover: str, dash: str | None = None, markers: bool = True) -> go.Scatter:
    return go.Scatter(x=list(x), y=list(y), name=name, mode="lines+markers" if markers else "lines",
                      line=dict(color=color, width=2.5 if markers else 1.5, dash=dash),
                      marker=dict(size=7), hovertemplate=hover)


def timing_chart(ns: Sequence[int], rnn_s: Sequence[float], attention_s: Sequence[float], d: int,
                 height: int = 380) -> go.Figure:
    """Measured median wall time (ms) vs n, log-log, one line per layer."""
    rnn_ms, att_ms = np.asarray(rnn_s) * 1e3, np.asarray(attention_s) * 1e3
    fig = go.Figure([
        _line(ns, rnn_ms, "RNN: n steps in a loop", RNN_COLOR, "RNN %{y:.3g} ms<extra></extra>"),
        _line(ns, att_ms, "attention: one pass", ATTENTION_COLOR, "attention %{y:.3g} ms<extra></extra>"),
    ])
    fig.update_xaxes(tickvals=list(ns), ticktext=[str(n) for n in ns])
    _log_axes(fig, "n (tokens in the sequence)", "median time (ms)")
    return base_layout(fig, f"Measured on this machine (d = {d})", height)


def counts_chart(ns: Sequence[int], rnn_madds: Sequence[int], attention_madds: Sequence[int], crossover: int,
                 height: int = 380) -> go.Figure:
    """Multiply-adds per layer vs n, log-log, with the crossover n = d marked."""
    fig = go.Figure([
        _line(ns, rnn_madds, "RNN: 2·n·d²", RNN_COLOR, "RNN %{y:.3s} multiply-adds<extra></extra>"),
        _line(ns, attention_madds, "attention: 2·n²·d", ATTENTION_COLOR,
              "attention %{y:.3s} multiply-adds<extra></extra>"),
    ])
    fig.add_vline(x=crossover, line=dict(color=FORMULA_COLOR, dash="dash", width=1.5))
    fig.add_annotation(x=np.log10(crossover), y=1, yref="paper", yanchor="top", xanchor="left", showarrow=False,
                       text=f" crossover n = d = {crossover}", font=dict(color="#444444"))
    fig.update_xaxes(tickvals=list(ns), ticktext=[str(n) for n in ns])
    _log_axes(fig, "n (tokens in the sequence)", "multiply-adds per layer")
    return base_layout(fig, "Arithmetic, the same on every machine", height)


def workers_chart(workers: Sequence[int], rnn_ticks: Sequence[int], attention_ticks: Sequence[int], chosen: int,
                  rnn_span: int, n: int, d: int, height: int = 380) -> go.Figure:
    """Model ticks vs number of workers P, log-log, with the RNN's floor of n steps and the chosen P marked."""
    fig = go.Figure([
        _line(workers, rnn_ticks, "RNN", RNN_COLOR, "RNN %{y:,} ticks<extra></extra>", markers=False),
        _line(workers, attention_ticks, "attention", ATTENTION_COLOR, "attention %{y:,} ticks<extra></extra>",
              markers=False),
    ])
    fig.add_hline(y=rnn_span, line=dict(color=RNN_COLOR, dash="dot", width=1))
    fig.add_annotation(x=0, xref="paper", y=np.log10(rnn_span), yanchor="bottom", xanchor="left", showarrow=False,
                       text=f"RNN floor: n = {n:,} steps, whatever P", font=dict(color=RNN_COLOR))
    fig.add_vline(x=chosen, line=dict(color=FORMULA_COLOR, dash="dash", width=1.5))
    fig.update_xaxes(exponentformat="power")
    fig.update_yaxes(exponentformat="power")
    _log_axes(fig, "P (parallel workers)", "ticks (model)")
    return base_layout(fig, f"Model: ticks = max(work / P, span), n = {n:,}, d = {d}", height)


def memory_chart(ns: Sequence[int], plain_bytes: Sequence[int], chunked_bytes: Sequence[int], block: int,
                 matrix_bytes: Sequence[int], slice_bytes: Sequence[int], height: int = 380) -> go.Figure:
    """Measured peak memory (MiB) vs n, log-log, beside the formulas n²·8 and n·block·8 bytes."""
    mib = lambda a: np.asarray(a, dtype=float) / MIB  # noqa: E731
    fig = go.Figure([
        _line(ns, mib(plain_bytes), "plain: peak measured", ATTENTION_COLOR, "plain %{y:.3g} MiB<extra></extra>"),
        _line(ns, mib(chunked_bytes), f"chunked (block {block}): peak measured", "#2ca02c",
              "chunked %{y:.3g} MiB<extra></extra>"),
        _line(ns, mib(matrix_bytes), "formula n²·8 bytes (one n×n matrix)", ATTENTION_COLOR,
              "n²·8 B = %{y:.3g} MiB<extra></extra>", dash="dot", markers=False),
        _line(ns, mib(slice_bytes), f"formula n·{block}·8 bytes (one n×block slice)", "#2ca02c",
              "n·block·8 B = %{y:.3g} MiB<extra></extra>", dash="dot", markers=False),
    ])
    fig.update_xaxes(tickvals=list(ns), ticktext=[str(n) for n in ns])
    _log_axes(fig, "n (tokens in the sequence)", "peak memory (MiB)")
    return base_layout(fig, "Peak memory of one attention call, measured with tracemalloc", height)
