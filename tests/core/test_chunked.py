"""chunked_attention equals scaled_dot_product_attention(...).output: shapes, blocks, masks, dtypes, batches, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import causal_mask, chunked_attention, padding_mask, scaled_dot_product_attention
from attention_core.chunked import _online_update
from tests.core.core_reference import PROPERTY, PROPERTY_LIGHT, any_finite, loop_sdpa, moderate

pytestmark = pytest.mark.filterwarnings("error")

dims = st.integers(1, 9)
blocks = st.integers(1, 12)


@st.composite
def problems(draw, dtype=np.float64, elements=moderate, batch=()):
    """(q [*batch, n, d_k], k [*batch, m, d_k], v [*batch, m, d_v], mask [*batch, n, m] or None)."""
    n, m, d_k, d_v = draw(dims), draw(dims), draw(dims), draw(dims)
    q = draw(hnp.arrays(dtype, (*batch, n, d_k), elements=elements))
    k = draw(hnp.arrays(dtype, (*batch, m, d_k), elements=elements))
    v = draw(hnp.arrays(dtype, (*batch, m, d_v), elements=elements))
    mask = draw(st.none() | hnp.arrays(np.bool_, (*batch, n, m)))
    return q, k, v, mask


@PROPERTY
@given(problems(), blocks)
def test_float64_equals_plain_to_1e_10(problem, block):
    q, k, v, mask = problem
    got = chunked_attention(q, k, v, mask=mask, block=block)
    want = scaled_dot_product_attention(q, k, v, mask=mask).output
    assert got.dtype == np.float64 and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)


@PROPERTY_LIGHT
@given(problems(dtype=np.float32, elements=st.floats(-8, 8, width=32)), blocks)
def test_float32_stays_float32_and_close_to_plain(problem, block):
    q, k, v, mask = problem
    got = chunked_attention(q, k, v, mask=mask, block=block)
    want = scaled_dot_product_attention(q, k, v, mask=mask).output
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@PROPERTY_LIGHT
@given(problems(batch=(2, 3)), blocks)
def test_batched_equals_plain(problem, block):
    q, k, v, mask = problem
    np.testing.assert_allclose(chunked_attention(q, k, v, mask=mask, block=block),
                               scaled_dot_product_attention(q, k, v, mask=mask).output, rtol=0, atol=1e-10)


@PROPERTY_LIGHT
@given(problems(), blocks, st.floats(-3, 3), st.floats(0.05, 20))
def test_scale_and_temperature_equal_plain(problem, block, scale, temperature):
    q, k, v, mask = problem
    got = chunked_attention(q, k, v, mask=mask, block=block, scale=scale, temperature=temperature)
    want = scaled_dot_product_attention(q, k, v, mask=mask, scale=scale, temperature=temperature).output
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)


@PROPERTY_LIGHT
@given(problems(), blocks)
def test_equals_the_double_loop(problem, block):
    q, k, v, mask = problem
    out, _ = loop_sdpa(q, k, v, mask=mask)
    np.testing.assert_allclose(chunked_attention(q, k, v, mask=mask, block=block), out, rtol=1e-9, atol=1e-12)


@PROPERTY_LIGHT
@given(problems(elements=any_finite), blocks)
def test_any_finite_input_gives_finite_output_like_plain(problem, block):
    q, k, v, mask = problem
    got = chunked_attention(q, k, v, mask=mask, block=block)
    want = scaled_dot_product_attention(q, k, v, mask=mask).output
    assert np.isfinite(got).all() == np.isfinite(want).all()


def test_fully_masked_rows_give_zeros():
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(4, 3)), rng.normal(size=(10, 3)), rng.normal(size=(10, 5))
    mask = rng.random((4, 10)) < 0.5
    mask[1] = False
    mask[3] = False
    for block in (1, 3, 10, 64):
        out = chunked_attention(q, k, v, mask=mask, block=block)
        assert (out[[1, 3]] == 0.0).all()
        np.testing.assert_allclose(out, scaled_dot_product_attention(q, k, v, mask=mask).output, atol=1e-12)


def test_row_masked_only_in_its_first_blocks_is_still_right():
    # The running max starts at -inf and stays there through the masked blocks; no NaN may leak in.
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(9, 4)), rng.normal(size=(9, 2))
    mask = np.zeros((3, 9), bool)
    mask[:, 7:] = True
    out = chunked_attention(q, k, v, mask=mask, block=2)
    np.testing.assert_allclose(out, scaled_dot_product_attention(q, k, v, mask=mask).output, atol=1e-12)


def test_causal_and_padding_masks_broadcast_like_plain():
    rng = np.random.default_rng(2)
    q, k, v = rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 6, 3))
    valid = np.array([[True] * 6, [True] * 3 + [False] * 3])
    for mask in (causal_mask(6), padding_mask(valid), causal_mask(6) & padding_mask(valid)):
        np.testing.assert_allclose(chunked_attention(q, k, v, mask=mask, block=4),
                                   scaled_dot_product_attention(q, k, v, mask=mask).output, atol=1e-12)


def test_batch_dimensions_broadcast_between_q_and_kv():
    rng = np.random.default_rng(3)
    q, k, v = rng.normal(size=(3, 5, 4)), rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    np.testing.assert_allclose(chunked_attention(q, k, v, block=3), scaled_dot_product_attention(q, k, v).output,
                               atol=1e-12)


def test_huge_scores_do_not_overflow():
    q = np.array([[1e300, 1.0], [-1e300, 2.0]])
    k = np.array([[1e300, 1.0], [1.0, 2.0], [-1e300, 0.0]])
    v = np.eye(3)
    for block in (1, 2, 3):
        got = chunked_attention(q, k, v, block=block)
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got, scaled_dot_product_attention(q, k, v).output, atol=1e-12)


def test_integer_input_becomes_float64_and_empty_keys_give_zeros():
    out = chunked_attention([[1, 0]], [[1, 0], [0, 1]], [[2, 0], [0, 2]])
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, scaled_dot_product_attention([[1, 0]], [[1, 0], [0, 1]], [[2, 0], [0, 2]]).output)
    empty = chunked_attention(np.ones((2, 3)), np.ones((0, 3)), np.ones((0, 4)))
    np.testing.assert_array_equal(empty, np.zeros((2, 4)))


def test_never_builds_an_n_by_m_array(monkeypatch):
    # Spy on every block update: the widest logits slice is the block, not m.
    import attention_core.chunked as chunked

    widths = []

    def spy(state, logits, v_blk):
        widths.append(logits.shape[-1])
        return _online_update(state, logits, v_blk)

    monkeypatch.setattr(chunked, "_online_update", spy)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(50, 8))
    chunked.chunked_attention(x, x, x, block=16)
    assert widths == [16, 16, 16, 2]


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.ones((2, 3)), np.ones((4, 2)), np.ones((4, 5))), {}, r"share their last dimension d_k: q \(2, 3\), k \(4, 2\)"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 5))), {}, r"same number of positions m: k \(4, 3\), v \(5, 5\)"),
        ((np.ones(3), np.ones((4, 3)), np.ones((4, 5))), {}, r"q must have at least 2 dimensions"),
        ((np.full((2, 3), np.nan), np.ones((4, 3)), np.ones((4, 5))), {}, "q contains NaN"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.array([["a"] * 5] * 4)), {}, "v must hold real numbers"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))), {"mask": np.ones((2, 4))}, "mask must be boolean"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))), {"mask": np.ones((3, 4), bool)}, r"does not broadcast"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))), {"block": 0}, "block must be at least 1"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))), {"block": 2.5}, "block must be an integer"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))), {"temperature": 0.0}, "temperature must be > 0"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))), {"scale": float("inf")}, "scale must be finite"),
        ((np.ones((2, 2, 3)), np.ones((3, 4, 3)), np.ones((3, 4, 5))), {}, "batch"),
    ],
)
def test_bad_input_is_a_clear_value_error(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        chunked_attention(*args, **kwargs)


def test_values_near_the_float_limit_do_not_overflow_in_the_running_output():
    # hypothesis found this: nine equal keys, values 2e307, one key per block. An unnormalised running sum of
    # weight * value passes the largest double; the running weighted mean, like the plain version, does not.
    q, k, v = np.zeros((1, 1)), np.zeros((9, 1)), np.full((9, 1), 1.99743682e307)
    with np.errstate(all="raise"):
        out = chunked_attention(q, k, v, block=1)
    np.testing.assert_allclose(out, scaled_dot_product_attention(q, k, v).output, rtol=1e-12)
