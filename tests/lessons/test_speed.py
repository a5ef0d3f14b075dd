"""lessons.speed: the kernels compute the right thing, the counts and the work/span model, the timing loop
with a fake clock, the log grid, the refusals, and tracemalloc peaks."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attention_core import scaled_dot_product_attention
from lessons.speed import (
    ATTENTION_STAGES,
    DEFAULT_REPEATS,
    MAX_N,
    SpeedPoint,
    attention_costs,
    attention_pass,
    attention_slower_from,
    attention_work_span,
    block_slice_bytes,
    check_benchmark,
    crossover_n,
    kernel_inputs,
    log_grid,
    measure_memory,
    measure_point,
    parallel_ticks,
    rnn_costs,
    rnn_pass,
    rnn_work_span,
    time_call,
    traced_peak,
    trusted_points,
    weights_bytes,
)
from tests.core.core_reference import PROPERTY_LIGHT


class FakeClock:
    """Each reading advances by the next of `steps` (cycled): durations are known in advance."""

    def __init__(self, steps=(1.0,)):
        self.t, self.steps, self.calls = 0.0, list(steps), 0

    def __call__(self) -> float:
        self.t += self.steps[self.calls % len(self.steps)]
        self.calls += 1
        return self.t


# ---------------------------------------------------------------------------------------------------------------
# kernels


def loop_rnn(x, w_x, w_h):
    """h_t = tanh(x_t w_x + h_{t-1} w_h) with Python floats and math.tanh."""
    x, w_x, w_h = np.asarray(x).tolist(), np.asarray(w_x).tolist(), np.asarray(w_h).tolist()
    d = len(w_h)
    h, states = [0.0] * d, []
    for xt in x:
        h = [math.tanh(math.fsum(xt[i] * w_x[i][j] for i in range(len(xt))) + math.fsum(h[i] * w_h[i][j] for i in range(d)))
             for j in range(d)]
        states.append(h)
    return np.array(states)


@PROPERTY_LIGHT
@given(st.integers(1, 8), st.integers(1, 5), st.integers(0, 10**6))
def test_rnn_pass_equals_the_scalar_loop(n, d, seed):
    x, w_x, w_h = kernel_inputs(n, d, seed)
    np.testing.assert_allclose(rnn_pass(x, w_x, w_h), loop_rnn(x, w_x, w_h), rtol=1e-12, atol=1e-12)


def test_rnn_state_depends_only_on_the_past():
    x, w_x, w_h = kernel_inputs(12, 4, seed=5)
    changed = x.copy()
    changed[7:] += 3.0
    a, b = rnn_pass(x, w_x, w_h), rnn_pass(changed, w_x, w_h)
    np.testing.assert_array_equal(a[:7], b[:7])
    assert not np.allclose(a[7:], b[7:])


def test_rnn_pass_keeps_float32_and_reads_rectangular_input():
    rng = np.random.default_rng(0)
    x, w_x, w_h = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 4)) / 2
    assert rnn_pass(x, w_x, w_h).shape == (5, 4)
    np.testing.assert_allclose(rnn_pass(x, w_x, w_h), loop_rnn(x, w_x, w_h), atol=1e-12)
    assert rnn_pass(x.astype(np.float32), w_x.astype(np.float32), w_h.astype(np.float32)).dtype == np.float32


@PROPERTY_LIGHT
@given(st.integers(1, 40), st.integers(1, 12), st.integers(0, 10**6))
def test_attention_pass_equals_scaled_dot_product_attention(n, d, seed):
    x = kernel_inputs(n, d, seed)[0]
    np.testing.assert_allclose(attention_pass(x), scaled_dot_product_attention(x, x, x).output, rtol=0, atol=1e-12)


def test_attention_pass_keeps_float32():
    x = kernel_inputs(6, 4)[0].astype(np.float32)
    out = attention_pass(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, scaled_dot_product_attention(x, x, x).output, rtol=1e-6)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: rnn_pass(np.ones((3, 2)), np.ones((3, 2)), np.ones((2, 2))), r"x \(3, 2\), w_x \(3, 2\)"),
        (lambda: rnn_pass(np.ones((3, 2)), np.ones((2, 2)), np.ones((2, 3))), r"w_h \(2, 3\)"),
        (lambda: rnn_pass(np.ones((3, 2, 1)), np.ones((2, 2)), np.ones((2, 2))), r"x \(3, 2, 1\)"),
        (lambda: rnn_pass(np.full((3, 2), np.inf), np.ones((2, 2)), np.ones((2, 2))), "x contains inf"),
        (lambda: attention_pass(np.ones(3)), "x must have at least 2 dimensions"),
        (lambda: attention_pass(np.ones((2, 3, 4))), r"x must be \[n, d\], got shape \(2, 3, 4\)"),
        (lambda: kernel_inputs(0, 4), "n must be at least 1"),
    ],
)
def test_kernel_errors_name_the_shapes(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------------------------------------------------------
# counts and the work/span model


def test_costs_follow_the_formulas():
    assert rnn_costs(100, 8) == (100, 99, 2 * 100 * 64, 0)
    assert attention_costs(100, 8) == (ATTENTION_STAGES, 1, 2 * 100 * 100 * 8, 10_000)
    assert attention_costs(1, 8).max_path_length == 0 == rnn_costs(1, 8).max_path_length
    assert weights_bytes(1024) == 8 * 2**20
    assert crossover_n(64) == 64
    assert block_slice_bytes(1000, 128) == 1000 * 128 * 8 and block_slice_bytes(16, 128) == 16 * 16 * 8


@PROPERTY_LIGHT
@given(st.integers(1, 5000), st.integers(1, 600))
def test_attention_does_n_over_d_times_the_rnn_arithmetic(n, d):
    rnn, att = rnn_costs(n, d).multiply_adds, attention_costs(n, d).multiply_adds
    assert att * d == rnn * n
    assert (att > rnn) == (n > crossover_n(d))
    assert (att == rnn) == (n == crossover_n(d))


def test_rnn_never_goes_below_n_ticks_attention_reaches_its_few_stages():
    n, d = 512, 64
    workers = 2 ** np.arange(0, 40)
    rnn = parallel_ticks(rnn_work_span(n, d), workers)
    att = parallel_ticks(attention_work_span(n, d), workers)
    assert rnn.min() == n and att.min() == ATTENTION_STAGES == 3
    assert rnn[0] == rnn_costs(n, d).multiply_adds and att[0] == attention_costs(n, d).multiply_adds
    assert (np.diff(rnn) <= 0).all() and (np.diff(att) <= 0).all()
    np.testing.assert_array_equal(rnn, np.maximum(np.ceil(2 * n * d * d / workers), n))


def test_parallel_ticks_rounds_up_and_rejects_bad_workers():
    ws = attention_work_span(3, 2)  # work 36, span 3
    np.testing.assert_array_equal(parallel_ticks(ws, [1, 5, 36, 100]), [36, 8, 3, 3])
    for bad in ([0], [1.5], [True], [-2]):
        with pytest.raises(ValueError, match="workers must be positive integers"):
            parallel_ticks(ws, bad)


# ---------------------------------------------------------------------------------------------------------------
# timing loop, grid, refusals


def test_time_call_reads_the_given_clock():
    calls = []
    clock = FakeClock(steps=(1.0, 0.5, 1.0, 2.0))
    assert time_call(lambda: calls.append(1), 2, clock) == [0.5, 2.0]
    assert len(calls) == 2 and clock.calls == 4
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        time_call(lambda: None, 0, clock)


def test_measure_point_reports_the_fastest_of_alternating_runs_and_its_spread():
    # Clock readings per repeat: rnn start/stop, attention start/stop; the steps make rnn take 3, 1, 2 s
    # and attention 10, 30, 20 s over the three repeats; the budget (0.4 s) is spent, so it stops at three.
    steps = (0, 3, 0, 10, 0, 1, 0, 30, 0, 2, 0, 20)
    point = measure_point(8, 4, repeats=3, clock=FakeClock(steps))
    assert point == SpeedPoint(8, 4, 1.0, 10.0, 1.0, 1.0, 3)
    assert not point.trusted  # the fastest runs were not reproduced within TRUST_SPREAD


def test_measure_point_repeats_until_the_two_fastest_runs_agree():
    # rnn 5, 4, 3, 3.1 s; attention 1 s each: stable after the fourth pair (3 vs 3.1 is within 5 %)
    steps = (0, 5, 0, 1, 0, 4, 0, 1, 0, 3, 0, 1, 0, 3.1, 0, 1, 0, 99, 0, 99)
    point = measure_point(8, 4, repeats=3, clock=FakeClock(steps), budget_s=1e9)
    assert (point.runs, point.rnn_s, point.attention_s) == (4, 3.0, 1.0) and point.trusted
    assert point.rnn_spread == pytest.approx(0.1 / 3) and point.attention_spread == 0


def test_trusted_points_drop_noisy_points_and_times_that_fall_as_n_grows():
    def pt(n, r, a, s=0.0):
        return SpeedPoint(n, 4, r, a, s, 0.0, 3)
    pts = [pt(16, 1, 1), pt(32, 5, 2), pt(64, 3, 3), pt(128, 4, 9, s=0.5), pt(256, 6, 8)]
    assert [p.n for p in trusted_points(pts)] == [16, 64, 256]  # 32 took longer than 64; 128 is noisy
    assert trusted_points([pt(16, 2, 2), pt(32, 1, 1)]) == [pt(32, 1, 1)]


def test_measure_point_with_the_real_clock_is_positive():
    point = measure_point(32, 8)
    assert point.rnn_s > 0 and point.attention_s > 0 and DEFAULT_REPEATS >= 1


def test_log_grid():
    assert log_grid(128) == (16, 32, 64, 128)
    assert log_grid(100) == (16, 32, 64, 100)
    assert log_grid(16) == (16,)
    assert log_grid(4096)[-1] == 4096 and len(log_grid(4096)) == 9
    with pytest.raises(ValueError, match="n_max must be at least n_min = 16, got 8"):
        log_grid(8)


def test_check_benchmark_allows_the_default_and_refuses_with_reasons():
    check_benchmark(log_grid(2048), 64, DEFAULT_REPEATS)
    check_benchmark(log_grid(MAX_N), 256, DEFAULT_REPEATS)
    with pytest.raises(ValueError, match="n = 8192 is beyond the limit of 4096 tokens"):
        check_benchmark(log_grid(8192), 64, DEFAULT_REPEATS)
    with pytest.raises(ValueError, match="billion multiply-adds"):
        check_benchmark(log_grid(MAX_N), 512, DEFAULT_REPEATS)


def test_attention_slower_from():
    pts = [SpeedPoint(n, 4, r, a) for n, r, a in [(16, 2, 1), (32, 2, 3), (64, 2, 1), (128, 2, 3), (256, 2, 9)]]
    assert attention_slower_from(pts) == 128
    assert attention_slower_from(pts[:3]) is None
    assert attention_slower_from(list(reversed(pts))) == 128


# ---------------------------------------------------------------------------------------------------------------
# memory


def test_traced_peak_sees_numpy_buffers_and_leaves_tracing_as_it_was():
    assert not tracemalloc.is_tracing()
    result, peak = traced_peak(lambda: np.ones(2**20 // 8).sum())  # a 1 MiB temporary
    assert result == 2**20 // 8
    assert 2**20 <= peak < 2**20 + 64 * 1024
    assert not tracemalloc.is_tracing()


def test_measure_memory_plain_holds_n_by_n_matrices_chunked_does_not():
    p = measure_memory(512, 32, block=64)
    assert p.plain_bytes >= 3 * weights_bytes(512)  # scores, logits and weights are all returned
    assert p.chunked_bytes < weights_bytes(512)  # not even one n x n matrix
    assert p.max_abs_difference < 1e-12 and p.block == 64


def test_measure_memory_refuses_a_matrix_too_big_before_allocating_it():
    with pytest.raises(ValueError, match=r"plain attention at n = 8000 needs 488 MiB"):
        measure_memory(8000, 1)


@given(st.lists(st.tuples(st.floats(1e-6, 1.0), st.floats(1e-6, 1.0), st.floats(0, 0.5)), min_size=1, max_size=9))
def test_trusted_points_are_always_ascending_in_both_times(rows):
    pts = [SpeedPoint(16 * 2**i, 4, r, a, s, s / 2, 3) for i, (r, a, s) in enumerate(rows)]
    kept = trusted_points(pts)
    assert all(p.trusted for p in kept)
    assert all(a.n < b.n and a.rnn_s <= b.rnn_s and a.attention_s <= b.attention_s for a, b in zip(kept, kept[1:]))
