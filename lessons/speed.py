"""Sequential recurrence vs one parallel attention pass: the kernels, their costs, and a clock-driven timing loop.

Two layers map n tokens of width d to n outputs of width d:
    RNN        h_t = tanh(x_t @ w_x + h_{t-1} @ w_h)        n steps, each waiting for the one before
    attention  softmax(x @ x^T / sqrt(d)) @ x               every output at once, through an [n, n] matrix
Both do 2 multiply-adds per "unit" of their main cost: the RNN 2·n·d² (input and recurrent products), attention
2·n²·d (scores and weighted sum). So attention does n/d times the RNN's arithmetic: less when n < d, more when
n > d. Vaswani et al. (2017, Table 1) list the same orders: n·d² vs n²·d, n vs 1 sequential operations, a path
of length n vs 1 between two positions.
"""

from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from attention_core.attention import scaled_dot_product_attention
from attention_core.checks import numeric_input, positive_int
from attention_core.chunked import DEFAULT_BLOCK, chunked_attention

__all__ = [
    "MAX_N", "MIN_N", "PLAIN_MATRIX_LIMIT_BYTES", "WORK_LIMIT", "FLOAT_BYTES", "DEFAULT_REPEATS", "rnn_pass",
    "attention_pass", "kernel_inputs", "LayerCosts", "rnn_costs", "attention_costs", "crossover_n", "weights_bytes",
    "block_slice_bytes", "ATTENTION_STAGES", "WorkSpan", "rnn_work_span", "attention_work_span", "parallel_ticks", "time_call",
    "SpeedPoint", "MAX_RUNS", "BUDGET_S", "STABLE_SPREAD", "TRUST_SPREAD", "spread", "measure_point",
    "trusted_points", "log_grid", "benchmark_work", "check_benchmark", "traced_peak", "MemoryPoint",
    "measure_memory", "attention_slower_from",
]

MAX_N = 4096  # the largest sequence the page measures
MIN_N = 16  # the smallest point of the log grid
PLAIN_MATRIX_LIMIT_BYTES = 256 * 2**20  # refuse a plain n x n float64 matrix above this (n > 5792)
WORK_LIMIT = 4 * 10**10  # refuse a benchmark whose multiply-adds (all points, all repeats) exceed this
FLOAT_BYTES = 8  # the benchmark runs in float64
DEFAULT_REPEATS = 3  # every point runs each kernel at least this many times


# ---------------------------------------------------------------------------------------------------------------
# The two kernels


def rnn_pass(x, w_x, w_h) -> np.ndarray:
    """An Elman RNN over the sequence: h_t = tanh(x_t @ w_x + h_{t-1} @ w_h), h_{-1} = 0.  x [n, d] -> states [n, d].

    x @ w_x is one matrix product over all tokens (nothing waits for it); the loop is the part that cannot be
    parallelised, because step t needs h_{t-1}.
    """
    x = numeric_input(x, "x", 2, "[n, d]")
    w_x = numeric_input(w_x, "w_x", 2, "[d, d]")
    w_h = numeric_input(w_h, "w_h", 2, "[d, d]")
    if x.ndim != 2 or w_x.shape != (x.shape[1], w_h.shape[0]) or w_h.shape[0] != w_h.shape[1]:
        raise ValueError(f"need x [n, d_in], w_x [d_in, d], w_h [d, d]: x {x.shape}, w_x {w_x.shape}, w_h {w_h.shape}")
    dtype = np.result_type(x, w_x, w_h)
    drive = (x @ w_x).astype(dtype, copy=False)  # [n, d_in] @ [d_in, d] -> [n, d]
    w_h = w_h.astype(dtype, copy=False)
    states = np.empty_like(drive)  # [n, d]
    h = np.zeros(drive.shape[1], dtype)  # [d]
    for t in range(drive.shape[0]):
        h = np.tanh(drive[t] + h @ w_h)  # [d] @ [d, d] -> [d]
        states[t] = h
    return states


def attention_pass(x) -> np.ndarray:
    """One self-attention pass with q = k = v = x: softmax(x @ x^T / sqrt(d)) @ x.  x [n, d] -> [n, d].

    The kernel's own scaled_dot_product_attention, so the page times exactly what every other page computes; its
    checks cost little beside the n x n arithmetic (benchmarks/core.py holds it within 1.2x of bare NumPy).
    """
    x = numeric_input(x, "x", 2, "[n, d]")
    if x.ndim != 2:
        raise ValueError(f"x must be [n, d], got shape {x.shape}")
    return scaled_dot_product_attention(x, x, x).output  # [n, n] @ [n, d] -> [n, d]


def kernel_inputs(n: int, d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x [n, d], w_x [d, d], w_h [d, d] in float64; weights scaled by 1/sqrt(d) so tanh stays out of saturation."""
    n, d = positive_int(n, "n"), positive_int(d, "d")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    w_x, w_h = rng.standard_normal((2, d, d)) / np.sqrt(d)
    return x, w_x, w_h


# ---------------------------------------------------------------------------------------------------------------
# Costs that do not depend on the machine


class LayerCosts(NamedTuple):
    sequential_ops: int  # operations that must happen one after another
    max_path_length: int  # steps a signal takes between the two farthest positions
    multiply_adds: int  # arithmetic of one layer over n tokens
    weight_entries: int  # attention weights held at once (n x n); the RNN holds none


def rnn_costs(n: int, d: int) -> LayerCosts:
    """The RNN layer above: n steps; token 1 reaches token n through n - 1 steps; 2·n·d² multiply-adds."""
    n, d = positive_int(n, "n"), positive_int(d, "d")
    return LayerCosts(n, n - 1, 2 * n * d * d, 0)


# Bare attention's chain of dependent stages: the scores Q K^T, their softmax, then the weights times V. Each waits
# for the one before, but how many there are does not depend on n (Table 1's O(1)). Within a stage, a sum over d or
# n terms adds in log2 steps on a tree of workers; the model ignores that, for the RNN's steps as well.
ATTENTION_STAGES = 3


def attention_costs(n: int, d: int) -> LayerCosts:
    """The attention layer above: 3 dependent stages whatever n; any token reaches any other directly; 2·n²·d
    multiply-adds; n² weights."""
    n, d = positive_int(n, "n"), positive_int(d, "d")
    return LayerCosts(ATTENTION_STAGES, min(1, n - 1), 2 * n * n * d, n * n)


def crossover_n(d: int) -> int:
    """The n at which both layers do the same arithmetic: 2·n·d² = 2·n²·d  <=>  n = d."""
    return positive_int(d, "d")


def weights_bytes(n: int, itemsize: int = FLOAT_BYTES) -> int:
    """Bytes of one n x n attention-weight matrix."""
    return positive_int(n, "n") ** 2 * itemsize


def block_slice_bytes(n: int, block: int, itemsize: int = FLOAT_BYTES) -> int:
    """Bytes of one [n, min(n, block)] slice of logits, the largest array chunked_attention holds per key block."""
    n, block = positive_int(n, "n"), positive_int(block, "block")
    return n * min(n, block) * itemsize


# ---------------------------------------------------------------------------------------------------------------
# A work/span model of P parallel workers (a model, not a measurement)


class WorkSpan(NamedTuple):
    work: int  # multiply-adds in total
    span: int  # the longest chain of operations that must run one after another


def rnn_work_span(n: int, d: int) -> WorkSpan:
    c = rnn_costs(n, d)
    return WorkSpan(c.multiply_adds, c.sequential_ops)


def attention_work_span(n: int, d: int) -> WorkSpan:
    c = attention_costs(n, d)
    return WorkSpan(c.multiply_adds, c.sequential_ops)


def parallel_ticks(ws: WorkSpan, workers) -> np.ndarray:
    """Ticks (one multiply-add per worker per tick) with P workers and an ideal scheduler: max(work / P, span).

    However many workers, a chain of `span` dependent steps still takes `span` ticks. workers [k] -> [k].
    """
    p = np.asarray(workers)
    if p.dtype == bool or not np.issubdtype(p.dtype, np.integer) or (p < 1).any():
        raise ValueError(f"workers must be positive integers, got {workers!r}")
    return np.maximum(-(-ws.work // p.astype(np.int64)), ws.span)  # ceil(work / P), never below the span


# ---------------------------------------------------------------------------------------------------------------
# Measuring: the loop is pure apart from the clock it is given, so tests can hand it a fake one


def time_call(fn: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Seconds taken by each of `repeats` calls of fn(), read from `clock`."""
    repeats = positive_int(repeats, "repeats")
    durations = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        durations.append(clock() - t0)
    return durations


class SpeedPoint(NamedTuple):
    n: int
    d: int
    rnn_s: float  # fastest run of rnn_pass (seconds)
    attention_s: float  # fastest run of attention_pass
    rnn_spread: float = 0.0  # (second fastest - fastest) / fastest: how well the fastest run is reproduced
    attention_spread: float = 0.0
    runs: int = 1  # runs of each kernel

    @property
    def trusted(self) -> bool:
        """Both fastest runs were reproduced within TRUST_SPREAD by another run."""
        return self.runs >= 2 and max(self.rnn_spread, self.attention_spread) <= TRUST_SPREAD


MAX_RUNS = 40  # never more runs of one kernel than this at one n
BUDGET_S = 0.4  # keep repeating a point until it is stable or this many seconds of runs are spent
STABLE_SPREAD = 0.05  # stop early once the two fastest runs of each kernel agree within 5 %
TRUST_SPREAD = 0.2  # a point whose two fastest runs differ by more is flagged and kept out of the sentences


def spread(durations: Sequence[float]) -> float:
    """(second fastest - fastest) / fastest: 0 when the fastest run was reproduced exactly, inf with one run."""
    fastest = sorted(durations)[:2]
    if len(fastest) < 2:
        return math.inf
    if fastest[0] <= 0:
        return 0.0 if fastest[1] <= 0 else math.inf
    return (fastest[1] - fastest[0]) / fastest[0]


def measure_point(n: int, d: int, repeats: int = DEFAULT_REPEATS, clock: Callable[[], float] = time.perf_counter,
                  seed: int = 0, budget_s: float = BUDGET_S, max_runs: int = MAX_RUNS) -> SpeedPoint:
    """Both kernels on the same x [n, d], the way a benchmark tool times them.

    Runs alternate (RNN, attention, RNN, ...) so a burst of load hits both alike; after at least `repeats` runs of
    each, it stops once the two fastest runs of each kernel agree within STABLE_SPREAD, or when `budget_s` seconds
    of runs are spent, or after `max_runs`. It reports the fastest run: load from other programs only ever adds
    time, so the minimum is the least disturbed estimate; the spread says how far to trust it.
    """
    repeats, max_runs = positive_int(repeats, "repeats"), positive_int(max_runs, "max_runs")
    x, w_x, w_h = kernel_inputs(n, d, seed)
    rnn, att = [], []
    while True:
        rnn += time_call(lambda: rnn_pass(x, w_x, w_h), 1, clock)
        att += time_call(lambda: attention_pass(x), 1, clock)
        if len(rnn) < repeats:
            continue
        stable = max(spread(rnn), spread(att)) <= STABLE_SPREAD
        if stable or sum(rnn) + sum(att) >= budget_s or len(rnn) >= max_runs:
            break
    return SpeedPoint(n, d, float(min(rnn)), float(min(att)), spread(rnn), spread(att), len(rnn))


def trusted_points(points: Sequence[SpeedPoint]) -> list[SpeedPoint]:
    """The points the sentences may use: trusted ones whose times do not fall as n grows.

    Neither kernel can get faster on a longer sequence (the RNN does strictly more steps, attention more pairs),
    so a time above a larger n's time was inflated by load: scanning from the largest n down, a point is kept only
    if both its times are at most those of the last point kept. The result is ascending in n and in both times.
    """
    kept: list[SpeedPoint] = []
    for p in sorted((p for p in points if p.trusted), key=lambda p: -p.n):
        if not kept or (p.rnn_s <= kept[-1].rnn_s and p.attention_s <= kept[-1].attention_s):
            kept.append(p)
    return kept[::-1]


def log_grid(n_max: int, n_min: int = MIN_N) -> tuple[int, ...]:
    """Powers of two from n_min up to n_max, with n_max itself last: (16, 32, ..., n_max)."""
    n_max, n_min = positive_int(n_max, "n_max"), positive_int(n_min, "n_min")
    if n_max < n_min:
        raise ValueError(f"n_max must be at least n_min = {n_min}, got {n_max}")
    grid = [n_min]
    while grid[-1] * 2 < n_max:
        grid.append(grid[-1] * 2)
    if grid[-1] != n_max:
        grid.append(n_max)
    return tuple(grid)


def benchmark_work(grid: Sequence[int], d: int, repeats: int) -> int:
    """Multiply-adds a full benchmark does: both kernels at every n, `repeats` times."""
    return repeats * sum(rnn_costs(n, d).multiply_adds + attention_costs(n, d).multiply_adds for n in grid)


def check_benchmark(grid: Sequence[int], d: int, repeats: int) -> None:
    """ValueError with the reason when a benchmark would be too big for a laptop: n beyond MAX_N, too much work,
    or an n x n float64 matrix above PLAIN_MATRIX_LIMIT_BYTES."""
    n_max = max(grid)
    if n_max > MAX_N:
        raise ValueError(f"n = {n_max} is beyond the limit of {MAX_N} tokens")
    if weights_bytes(n_max) > PLAIN_MATRIX_LIMIT_BYTES:
        raise ValueError(f"one {n_max} x {n_max} float64 matrix takes {weights_bytes(n_max) / 2**20:.0f} MiB, "
                         f"above the {PLAIN_MATRIX_LIMIT_BYTES / 2**20:.0f} MiB limit for plain attention")
    work = benchmark_work(grid, d, repeats)
    if work > WORK_LIMIT:
        raise ValueError(f"n up to {n_max} with d = {d} takes {work / 1e9:.0f} billion multiply-adds over "
                         f"{repeats} repeats, more than the {WORK_LIMIT / 1e9:.0f} billion a laptop does in a few "
                         f"seconds; choose a smaller n or d")


# ---------------------------------------------------------------------------------------------------------------
# Memory


def traced_peak(fn: Callable[[], object]) -> tuple[object, int]:
    """fn()'s result and the peak bytes allocated while it ran (tracemalloc, NumPy buffers included), above the start.

    tracemalloc counts every thread of the process, so another busy thread can add to the figure. Never call it in
    a process whose other threads allocate (a Streamlit server): starting and stopping tracemalloc there can crash
    CPython 3.11. The Speed page runs it in a child process (playground/speed_measure.py).
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return result, max(0, peak - before)


class MemoryPoint(NamedTuple):
    n: int
    plain_bytes: int  # peak of scaled_dot_product_attention(x, x, x)
    chunked_bytes: int  # peak of chunked_attention(x, x, x, block=block)
    block: int
    max_abs_difference: float  # between the two outputs: the saving costs no accuracy


def measure_memory(n: int, d: int, block: int = DEFAULT_BLOCK, seed: int = 0, repeats: int | None = None) -> MemoryPoint:
    """Peak memory of plain and chunked self-attention on the same x [n, d] (float64), the least of `repeats` runs.

    The least, because tracemalloc also counts what other threads allocate meanwhile: that only ever adds. Such
    stray bytes matter only beside small peaks, so by default short sequences (n <= 256) are traced twice and
    longer ones, whose peaks are megabytes of n x n matrices, once.
    """
    block = positive_int(block, "block")
    repeats = positive_int(repeats if repeats is not None else (2 if n <= 256 else 1), "repeats")
    x = kernel_inputs(n, d, seed)[0]
    if weights_bytes(n) > PLAIN_MATRIX_LIMIT_BYTES:
        raise ValueError(f"plain attention at n = {n} needs {weights_bytes(n) / 2**20:.0f} MiB per n x n matrix, "
                         f"above the {PLAIN_MATRIX_LIMIT_BYTES / 2**20:.0f} MiB limit")
    # One tiny untraced call first, so one-off allocations (caches, lazy imports) are not counted as attention's.
    scaled_dot_product_attention(x[:2], x[:2], x[:2]), chunked_attention(x[:2], x[:2], x[:2], block=block)
    plain_bytes, chunked_bytes = [], []
    for _ in range(repeats):
        plain, peak = traced_peak(lambda: scaled_dot_product_attention(x, x, x))
        plain_out = plain.output  # [n, d]; the three [n, n] matrices go now, before the chunked run is traced
        del plain
        plain_bytes.append(peak)
        chunked_out, peak = traced_peak(lambda: chunked_attention(x, x, x, block=block))
        chunked_bytes.append(peak)
    difference = float(np.abs(plain_out - chunked_out).max(initial=0.0))
    return MemoryPoint(n, min(plain_bytes), min(chunked_bytes), block, difference)


def attention_slower_from(points: Sequence[SpeedPoint]) -> int | None:
    """The smallest measured n from which attention took longer than the RNN at every larger n too (None if never)."""
    ordered = sorted(points, key=lambda p: p.n)
    start = None
    for p in ordered:
        if p.attention_s > p.rnn_s:
            start = p.n if start is None else start
        else:
            start = None
    return start
