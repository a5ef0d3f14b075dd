"""multi_head_attention against explicit per-head loops; split_heads / merge_heads; parameter counts; errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import (
    MultiHeadParams,
    MultiHeadResult,
    causal_mask,
    merge_heads,
    multi_head_attention,
    split_heads,
)
from tests.core.core_reference import PROPERTY, PROPERTY_LIGHT, loop_multi_head, masks, matrices, moderate

pytestmark = pytest.mark.filterwarnings("error")


@st.composite
def head_layouts(draw):
    """(d_model, n_heads) with n_heads dividing d_model."""
    n_heads = draw(st.integers(1, 4))
    d_head = draw(st.integers(1, 4))
    return n_heads * d_head, n_heads


@PROPERTY
@given(head_layouts(), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1), st.data())
def test_equals_per_head_loops_concat_and_w_o(layout, n, m, seed, data):
    d_model, h = layout
    params = MultiHeadParams.random(d_model, h, seed=seed)
    x_q = data.draw(matrices(n, d_model))
    x_kv = data.draw(matrices(m, d_model))
    mask = data.draw(st.none() | masks(n, m))
    r = multi_head_attention(x_q, x_kv, params, mask=mask)
    output, heads, weights, concat = loop_multi_head(x_q, x_kv, *params, mask=mask)
    tol = {"rtol": 1e-9, "atol": 1e-10}
    np.testing.assert_allclose(r.heads, heads, **tol)
    np.testing.assert_allclose(r.weights, weights, **tol)
    np.testing.assert_allclose(r.concat, concat, **tol)
    np.testing.assert_allclose(r.output, output, **tol)
    assert r.output.shape == (n, d_model)
    assert r.heads.shape == (h, n, d_model // h) and r.weights.shape == (h, n, m)
    assert r.concat.shape == (n, d_model)
    if mask is not None:  # one mask, shared by every head
        assert (r.weights[:, ~mask] == 0).all()
        assert (r.heads[:, ~mask.any(axis=-1)] == 0).all()


def test_result_named_tuple_and_params_helpers():
    p = MultiHeadParams.random(8, 2, seed=3)
    assert MultiHeadParams._fields == ("w_q", "w_k", "w_v", "w_o")
    assert MultiHeadResult._fields == ("output", "heads", "weights", "concat")
    assert p.n_heads == 2 and p.d_head == 4
    assert [w.shape for w in p] == [(2, 8, 4)] * 3 + [(8, 8)]
    r = multi_head_attention(np.ones((3, 8)), np.ones((5, 8)), p)
    assert isinstance(r, MultiHeadResult)


def test_random_is_seeded_and_deterministic():
    a, b, c = MultiHeadParams.random(12, 3, seed=7), MultiHeadParams.random(12, 3, seed=7), MultiHeadParams.random(12, 3, seed=8)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.w_q, c.w_q)


@pytest.mark.parametrize("d_model", [1, 4, 6, 12, 64])
def test_h_heads_of_size_d_over_h_cost_the_same_parameters_as_one_head(d_model):
    one = sum(w.size for w in MultiHeadParams.random(d_model, 1))
    assert one == 4 * d_model * d_model
    for h in range(1, d_model + 1):
        if d_model % h == 0:
            assert sum(w.size for w in MultiHeadParams.random(d_model, h)) == one


def test_single_head_is_plain_scaled_dot_product_attention():
    from attention_core import scaled_dot_product_attention

    rng = np.random.default_rng(0)
    p = MultiHeadParams.random(6, 1, seed=1)
    x = rng.normal(size=(4, 6))
    r = multi_head_attention(x, x, p)
    ref = scaled_dot_product_attention(x @ p.w_q[0], x @ p.w_k[0], x @ p.w_v[0])
    np.testing.assert_allclose(r.heads[0], ref.output)
    np.testing.assert_allclose(r.output, ref.output @ p.w_o)


def test_cross_attention_and_causal_mask():
    rng = np.random.default_rng(2)
    p = MultiHeadParams.random(8, 4, seed=0)
    r = multi_head_attention(rng.normal(size=(3, 8)), rng.normal(size=(6, 8)), p)
    assert r.weights.shape == (4, 3, 6)
    np.testing.assert_allclose(r.weights.sum(axis=-1), 1.0)
    x = rng.normal(size=(5, 8))
    r = multi_head_attention(x, x, p, mask=causal_mask(5))
    assert (np.triu(r.weights, 1) == 0).all()


@PROPERTY_LIGHT
@given(head_layouts(), st.integers(0, 1000), st.data())
def test_leading_batch_dimensions_equal_per_item_loops(layout, seed, data):
    d_model, h = layout
    p = MultiHeadParams.random(d_model, h, seed=seed)
    batch = data.draw(st.sampled_from([(2,), (2, 2)]))
    n, m = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    x_q = data.draw(hnp.arrays(np.float64, (*batch, n, d_model), elements=moderate))
    x_kv = data.draw(hnp.arrays(np.float64, (*batch, m, d_model), elements=moderate))
    mask = data.draw(masks(n, m, batch))
    r = multi_head_attention(x_q, x_kv, p, mask=mask)
    for idx in np.ndindex(*batch):
        single = multi_head_attention(x_q[idx], x_kv[idx], p, mask=mask[idx])
        for got, want in zip(r, single, strict=True):
            np.testing.assert_allclose(got[idx], want, rtol=1e-12, atol=1e-14)


def test_float32_stays_float32_and_ints_become_float64():
    p = MultiHeadParams(*(w.astype(np.float32) for w in MultiHeadParams.random(8, 2)))
    x = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    r = multi_head_attention(x, x, p, mask=causal_mask(3))
    assert all(a.dtype == np.float32 for a in r)
    pi = MultiHeadParams(*(np.ones_like(w, dtype=np.int64) for w in p))
    r = multi_head_attention(np.ones((3, 8), int), np.ones((3, 8), int), pi)
    assert all(a.dtype == np.float64 for a in r)


# ----------------------------------------------------------------------------------------- split / merge heads
@PROPERTY
@given(head_layouts(), st.integers(1, 5), st.data())
def test_merge_inverts_split_and_split_takes_consecutive_columns(layout, n, data):
    d, h = layout
    x = data.draw(matrices(n, d))
    s = split_heads(x, h)
    d_head = d // h
    assert s.shape == (h, n, d_head)
    for i in range(h):
        np.testing.assert_array_equal(s[i], x[:, i * d_head : (i + 1) * d_head])
    np.testing.assert_array_equal(merge_heads(s), x)


@PROPERTY_LIGHT
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.data())
def test_split_merge_round_trip_with_batch_dimensions(h, d_head, n, data):
    batch = data.draw(st.sampled_from([(), (2,), (2, 3)]))
    x = data.draw(hnp.arrays(np.float64, (*batch, n, h * d_head), elements=moderate))
    s = split_heads(x, h)
    assert s.shape == (*batch, h, n, d_head)
    np.testing.assert_array_equal(merge_heads(s), x)
    y = data.draw(hnp.arrays(np.float64, (*batch, h, n, d_head), elements=moderate))
    np.testing.assert_array_equal(split_heads(merge_heads(y), h), y)


def test_split_heads_column_convention_by_example():
    x = np.arange(12.0).reshape(2, 6)  # rows [0..5], [6..11]
    s = split_heads(x, 3)
    np.testing.assert_array_equal(s[0], [[0, 1], [6, 7]])
    np.testing.assert_array_equal(s[2], [[4, 5], [10, 11]])


def test_split_merge_dtypes():
    assert split_heads(np.ones((2, 4), np.float32), 2).dtype == np.float32
    assert merge_heads(np.ones((2, 2, 2), np.float32)).dtype == np.float32
    assert split_heads(np.ones((2, 4), int), 2).dtype == np.float64
    assert merge_heads(np.ones((2, 2, 2), int)).dtype == np.float64


@pytest.mark.parametrize(
    ("fn", "args", "match"),
    [
        (split_heads, (np.ones((2, 6)), 4), r"n_heads = 4 does not divide the last dimension d = 6 of x \(2, 6\)"),
        (split_heads, (np.ones((2, 6)), 0), r"n_heads must be at least 1, got 0"),
        (split_heads, (np.ones((2, 6)), 2.0), r"n_heads must be an integer, got 2.0"),
        (split_heads, (np.ones((2, 6)), True), r"n_heads must be an integer"),
        (split_heads, (np.ones(6), 2), r"x must have at least 2 dimensions \[\.\.\., n, d\], got shape \(6,\)"),
        (split_heads, (np.full((2, 6), np.nan), 2), r"x contains NaN"),
        (split_heads, (np.full((2, 6), "a"), 2), r"x must hold real numbers, got dtype <U1"),
        (split_heads, (np.ones((2, 6), complex), 2), r"x must hold real numbers, got dtype complex128"),
        (merge_heads, (np.ones((2, 6)),), r"x must have at least 3 dimensions \[\.\.\., h, n, d_head\], got shape \(2, 6\)"),
        (merge_heads, (np.ones((2, 2, 3), bool),), r"x must hold real numbers, got dtype bool"),
        (merge_heads, (np.full((2, 2, 3), np.inf),), r"x contains inf"),
    ],
)
def test_split_merge_errors(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)


# --------------------------------------------------------------------------------------------------- errors
P = MultiHeadParams.random(8, 2, seed=0)
X = np.ones((3, 8))


@pytest.mark.parametrize(
    ("d_model", "n_heads", "match"),
    [
        (8, 3, r"n_heads = 3 does not divide d_model = 8"),
        (6, 4, r"n_heads = 4 does not divide d_model = 6"),
        (8, 0, r"n_heads must be at least 1, got 0"),
        (0, 1, r"d_model must be at least 1, got 0"),
        (8.0, 2, r"d_model must be an integer, got 8.0"),
        (8, "2", r"n_heads must be an integer, got '2'"),
    ],
)
def test_random_params_errors(d_model, n_heads, match):
    with pytest.raises(ValueError, match=match):
        MultiHeadParams.random(d_model, n_heads)


@pytest.mark.parametrize(
    ("x_q", "x_kv", "params", "mask", "match"),
    [
        (X, np.ones((3, 6)), P, None, r"x_q and x_kv must share d_model: x_q \(3, 8\), x_kv \(3, 6\)"),
        (np.ones(8), X, P, None, r"x_q must have at least 2 dimensions \[n, d_model\], got shape \(8,\)"),
        (X, np.full((3, 8), np.nan), P, None, r"x_kv contains NaN \(shape \(3, 8\)\)"),
        (np.full((3, 8), "a"), X, P, None, r"x_q must hold real numbers"),
        (np.ones((2, 3, 8)), np.ones((3, 3, 8)), P, None, r"leading \(batch\) dimensions do not broadcast: x_q \(2, 3, 8\), x_kv \(3, 3, 8\)"),
        (np.ones((3, 6)), np.ones((3, 6)), P, None, r"w_q must be \[h, d_model, d_head\] with d_model = 6, got \(2, 8, 4\)"),
        (X, X, tuple(P), None, r"params must be a MultiHeadParams, got tuple"),
        (X, X, None, None, r"params must be a MultiHeadParams, got NoneType"),
        (X, X, P._replace(w_o=np.ones((6, 8))), None, r"w_o must be \[h \* d_head, d_out\] = \[8, \.\.\.\], got \(6, 8\)"),
        (X, X, P._replace(w_o=np.ones(8)), None, r"w_o must have at least 2 dimensions \[h \* d_head, d_model\], got shape \(8,\)"),
        (X, X, P._replace(w_k=np.ones((2, 8, 3))), None, r"w_q and w_k must have the same shape: w_q \(2, 8, 4\), w_k \(2, 8, 3\)"),
        (X, X, P._replace(w_v=np.ones((3, 8, 4))), None, r"w_v must be \[h, d_model, d_head\] with d_model = 8, got \(3, 8, 4\)"),
        (X, X, P._replace(w_q=np.ones((8, 4))), None, r"w_q must be \[h, d_model, d_head\] with d_model = 8, got \(8, 4\)"),
        (X, X, P._replace(w_q=np.full((2, 8, 4), np.inf)), None, r"w_q contains inf \(shape \(2, 8, 4\)\)"),
        (X, X, P._replace(w_v=np.full((2, 8, 4), "x")), None, r"w_v must hold real numbers"),
        (X, X, P._replace(w_o=np.ones((8, 8), complex)), None, r"w_o must hold real numbers, got dtype complex128"),
        (X, X, MultiHeadParams(*(w[:0] for w in P[:3]), P.w_o[:0]), None, r"at least one head, got w_q \(0, 8, 4\)"),
        (X, np.ones((5, 8)), P, np.ones((3, 3), bool), r"mask of shape \(3, 3\) does not broadcast to the scores' shape \(3, 5\)"),
        (X, X, P, np.ones((3, 3), int), r"mask must be boolean \(True = may attend\), got dtype int64 with shape \(3, 3\)"),
        (X, X, P, "all", r"mask must be boolean"),
    ],
)
def test_multi_head_errors(x_q, x_kv, params, mask, match):
    with pytest.raises(ValueError, match=match):
        multi_head_attention(x_q, x_kv, params, mask=mask)
