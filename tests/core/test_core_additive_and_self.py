"""additive_attention (Bahdanau) against a loop; self_attention: equals projected SDPA, permutation equivariance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import AttentionResult, additive_attention, causal_mask, padding_mask, self_attention
from tests.core.core_reference import (
    PROPERTY,
    PROPERTY_LIGHT,
    loop_additive,
    loop_sdpa,
    masks,
    matrices,
    moderate,
    small_dim,
)

pytestmark = pytest.mark.filterwarnings("error")


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@st.composite
def additive_problems(draw):
    n, m, d_q, d_k, d_v, d_a = (draw(small_dim) for _ in range(6))
    return (
        draw(matrices(n, d_q)),
        draw(matrices(m, d_k)),
        draw(matrices(m, d_v)),
        draw(matrices(d_q, d_a)),
        draw(matrices(d_k, d_a)),
        draw(hnp.arrays(np.float64, d_a, elements=moderate)),
        draw(masks(n, m)),
    )


@PROPERTY
@given(additive_problems(), st.booleans())
def test_additive_equals_loop(problem, use_mask):
    *args, mask = problem
    mask = mask if use_mask else None
    r = additive_attention(*args, mask=mask)
    out, weights = loop_additive(*args, mask=mask)
    _close(r.weights, weights)
    _close(r.output, out)
    assert isinstance(r, AttentionResult)
    # the contract: scores = logits = e, with -inf where masked
    np.testing.assert_array_equal(r.scores, r.logits)


@PROPERTY
@given(additive_problems())
def test_additive_masking_rules(problem):
    *args, mask = problem
    r = additive_attention(*args, mask=mask)
    assert (r.weights[~mask] == 0).all()
    assert (r.logits[~mask] == -np.inf).all()
    live = mask.any(axis=-1)
    np.testing.assert_allclose(r.weights.sum(axis=-1)[live], 1.0, rtol=1e-12)
    assert (r.weights[~live] == 0).all() and (r.output[~live] == 0).all()
    assert not np.isnan(r.output).any()


@PROPERTY_LIGHT
@given(st.data())
def test_additive_leading_batch_dimensions_equal_per_item_loops(data):
    batch = data.draw(st.sampled_from([(2,), (2, 2)]))
    n, m, d, d_a = (data.draw(small_dim) for _ in range(4))
    query = data.draw(hnp.arrays(np.float64, (*batch, n, d), elements=moderate))
    keys = data.draw(hnp.arrays(np.float64, (*batch, m, d), elements=moderate))
    values = data.draw(hnp.arrays(np.float64, (*batch, m, 2), elements=moderate))
    w_q, w_k = data.draw(matrices(d, d_a)), data.draw(matrices(d, d_a))
    v_a = data.draw(hnp.arrays(np.float64, d_a, elements=moderate))
    valid = data.draw(hnp.arrays(np.bool_, (*batch, m)))
    r = additive_attention(query, keys, values, w_q, w_k, v_a, mask=padding_mask(valid))
    assert r.output.shape == (*batch, n, 2) and r.weights.shape == (*batch, n, m)
    for idx in np.ndindex(*batch):
        out, w = loop_additive(query[idx], keys[idx], values[idx], w_q, w_k, v_a, mask=np.tile(valid[idx], (n, 1)))
        _close(r.output[idx], out)
        _close(r.weights[idx], w)


def test_additive_overflowing_projections_stay_finite():
    big = 1e308
    query, keys = np.array([[10.0], [-1.0]]), np.array([[-10.0], [2.0], [-3.0]])
    # query @ w_q and keys @ w_k overflow to +-inf, so tanh(inf - inf) is NaN and v_a . tanh can overflow too
    w_q, w_k = np.array([[big, -big]]), np.array([[big, big]])
    r = additive_attention(query, keys, np.eye(3), w_q, w_k, np.array([big, big]))
    for arr in r:
        assert np.isfinite(arr).all()
    np.testing.assert_allclose(r.weights.sum(axis=-1), 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_additive_dtype_preserved_and_ints_to_float64(dtype):
    shapes = [(2, 3), (4, 3), (4, 2), (3, 5), (3, 5), (5,)]
    rng = np.random.default_rng(0)
    r = additive_attention(*(rng.normal(size=s).astype(dtype) for s in shapes), mask=np.ones((2, 4), bool))
    assert all(a.dtype == dtype for a in r)
    r = additive_attention(*(np.ones(s, dtype=np.int64) for s in shapes))
    assert all(a.dtype == np.float64 for a in r)


_ADD = {
    "query": np.ones((2, 3)),
    "keys": np.ones((4, 3)),
    "values": np.ones((4, 2)),
    "w_q": np.ones((3, 5)),
    "w_k": np.ones((3, 5)),
    "v_a": np.ones(5),
}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"w_q": np.ones((2, 5))}, r"query's last dimension must match w_q's first: query \(2, 3\), w_q \(2, 5\)"),
        ({"w_k": np.ones((4, 5))}, r"keys' last dimension must match w_k's first: keys \(4, 3\), w_k \(4, 5\)"),
        ({"v_a": np.ones(4)}, r"w_q, w_k and v_a must share d_a: w_q \(3, 5\), w_k \(3, 5\), v_a \(4,\)"),
        ({"w_k": np.ones((3, 6))}, r"must share d_a"),
        ({"values": np.ones((5, 2))}, r"keys and values must have the same number of positions m: keys \(4, 3\), values \(5, 2\)"),
        ({"w_q": np.ones((1, 3, 5))}, r"w_q and w_k must be 2-D and v_a 1-D: w_q \(1, 3, 5\)"),
        ({"v_a": np.ones((5, 1))}, r"v_a 1-D.*v_a \(5, 1\)"),
        ({"v_a": np.float64(1)}, r"v_a must have at least 1 dimensions \[d_a\], got shape \(\)"),
        ({"query": np.ones(3)}, r"query must have at least 2 dimensions \[\.\.\., n, d_q\], got shape \(3,\)"),
        ({"keys": np.ones((2, 4, 3)), "query": np.ones((3, 2, 3))}, r"leading \(batch\) dimensions do not broadcast"),
        ({"query": np.full((2, 3), np.nan)}, r"query contains NaN"),
        ({"w_k": np.full((3, 5), np.inf)}, r"w_k contains inf \(shape \(3, 5\)\)"),
        ({"v_a": np.array(["a"] * 5)}, r"v_a must hold real numbers, got dtype <U1 with shape \(5,\)"),
        ({"values": np.ones((4, 2), complex)}, r"values must hold real numbers, got dtype complex128"),
        ({"keys": np.ones((4, 3), bool)}, r"keys must hold real numbers, got dtype bool"),
        ({"mask": np.ones((2, 4), np.int8)}, r"mask must be boolean.*int8 with shape \(2, 4\)"),
        ({"mask": np.ones((4, 2), bool)}, r"mask of shape \(4, 2\) does not broadcast to the scores' shape \(2, 4\)"),
    ],
)
def test_additive_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        additive_attention(**(_ADD | kwargs))


# ------------------------------------------------------------------------------------------- self-attention
@st.composite
def self_problems(draw):
    n, d_model, d_k, d_v = draw(small_dim), draw(small_dim), draw(small_dim), draw(small_dim)
    return (
        draw(matrices(n, d_model)),
        draw(matrices(d_model, d_k, st.floats(-2, 2))),
        draw(matrices(d_model, d_k, st.floats(-2, 2))),
        draw(matrices(d_model, d_v, st.floats(-2, 2))),
    )


@PROPERTY
@given(self_problems())
def test_self_attention_is_sdpa_of_the_projections(problem):
    x, w_q, w_k, w_v = problem
    r = self_attention(x, w_q, w_k, w_v)
    out, weights = loop_sdpa(x @ w_q, x @ w_k, x @ w_v)
    _close(r.output, out)
    _close(r.weights, weights)


@PROPERTY
@given(self_problems(), st.randoms(use_true_random=False))
def test_self_attention_without_mask_is_permutation_equivariant(problem, rnd):
    x, w_q, w_k, w_v = problem
    perm = np.array(rnd.sample(range(len(x)), len(x)))
    r = self_attention(x, w_q, w_k, w_v)
    rp = self_attention(x[perm], w_q, w_k, w_v)
    # shuffling the words shuffles the outputs the same way, and the weight matrix's rows and columns
    np.testing.assert_allclose(rp.output, r.output[perm], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(rp.weights, r.weights[perm][:, perm], rtol=1e-9, atol=1e-12)


def test_self_attention_with_causal_mask_and_float32():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 4)).astype(np.float32)
    ws = [rng.normal(size=(4, 3)).astype(np.float32) for _ in range(3)]
    r = self_attention(x, *ws, mask=causal_mask(5))
    assert all(a.dtype == np.float32 for a in r)
    assert (np.triu(r.weights, 1) == 0).all()
    np.testing.assert_allclose(r.weights.sum(axis=-1), 1.0, rtol=1e-6)
    assert self_attention(np.ones((2, 3), int), *(np.ones((3, 2), int),) * 3).output.dtype == np.float64


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.ones((3, 4)), np.ones((5, 2)), np.ones((4, 2)), np.ones((4, 2))), r"w_q must be \[d_model, d\] with d_model = 4: x \(3, 4\), w_q \(5, 2\)"),
        ((np.ones((3, 4)), np.ones((4, 2)), np.ones((4, 3)), np.ones((4, 2))), r"w_q and w_k must project to the same d_k: w_q \(4, 2\), w_k \(4, 3\)"),
        ((np.ones((3, 4)), np.ones((4, 2)), np.ones((4, 2)), np.ones((2, 4, 2))), r"w_v must be \[d_model, d\].*w_v \(2, 4, 2\)"),
        ((np.ones(4), np.ones((4, 2)), np.ones((4, 2)), np.ones((4, 2))), r"x must have at least 2 dimensions \[n, d_model\], got shape \(4,\)"),
        ((np.ones((3, 4)), np.ones(4), np.ones((4, 2)), np.ones((4, 2))), r"w_q must have at least 2 dimensions"),
        ((np.full((3, 4), np.nan), np.ones((4, 2)), np.ones((4, 2)), np.ones((4, 2))), r"x contains NaN \(shape \(3, 4\)\)"),
        ((np.ones((3, 4)), np.ones((4, 2)), np.full((4, 2), "x"), np.ones((4, 2))), r"w_k must hold real numbers, got dtype <U1"),
    ],
)
def test_self_attention_errors(args, match):
    with pytest.raises(ValueError, match=match):
        self_attention(*args)


def test_self_attention_bad_mask():
    with pytest.raises(ValueError, match=r"mask of shape \(2, 2\) does not broadcast to the scores' shape \(3, 3\)"):
        self_attention(np.ones((3, 4)), *(np.ones((4, 2)),) * 3, mask=np.ones((2, 2), bool))
