"""scaled_dot_product_attention against a double loop, plus masks, batching, scale, temperature, overflow, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import AttentionResult, causal_mask, padding_mask, scaled_dot_product_attention
from tests.core.core_reference import (
    PROPERTY,
    PROPERTY_LIGHT,
    any_finite,
    loop_sdpa,
    masks,
    matrices,
    moderate,
    small_dim,
)

pytestmark = pytest.mark.filterwarnings("error")


@st.composite
def problems(draw, elements=moderate, with_mask=False):
    """(q [n, d_k], k [m, d_k], v [m, d_v], mask [n, m] or None)."""
    n, m, d_k, d_v = draw(small_dim), draw(small_dim), draw(small_dim), draw(small_dim)
    q = draw(matrices(n, d_k, elements))
    k = draw(matrices(m, d_k, elements))
    v = draw(matrices(m, d_v, elements))
    mask = draw(masks(n, m)) if with_mask else None
    return q, k, v, mask


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@PROPERTY
@given(problems(with_mask=True), st.booleans())
def test_equals_double_loop(problem, use_mask):
    q, k, v, mask = problem
    mask = mask if use_mask else None
    got = scaled_dot_product_attention(q, k, v, mask=mask)
    out, weights = loop_sdpa(q, k, v, mask=mask)
    _close(got.weights, weights)
    _close(got.output, out)
    _close(got.scores, q @ k.T)


@PROPERTY
@given(problems(), st.floats(-3, 3), st.floats(0.05, 20))
def test_scale_and_temperature_equal_the_loop(problem, scale, temperature):
    q, k, v, _ = problem
    got = scaled_dot_product_attention(q, k, v, scale=scale, temperature=temperature)
    out, weights = loop_sdpa(q, k, v, scale=scale, temperature=temperature)
    _close(got.weights, weights)
    _close(got.output, out)
    _close(got.logits, got.scores * scale / temperature)


@PROPERTY
@given(problems(with_mask=True))
def test_rows_sum_to_one_masked_entries_exactly_zero_fully_masked_rows_zero(problem):
    q, k, v, mask = problem
    r = scaled_dot_product_attention(q, k, v, mask=mask)
    assert (r.weights[~mask] == 0).all()
    assert (r.logits[~mask] == -np.inf).all()
    assert np.isfinite(r.logits[mask]).all()
    live = mask.any(axis=-1)
    np.testing.assert_allclose(r.weights.sum(axis=-1)[live], 1.0, rtol=1e-12)
    assert (r.weights[~live] == 0).all()
    assert (r.output[~live] == 0).all()
    assert not np.isnan(r.output).any()


def test_fully_masked_row_gives_zero_weights_and_output():
    q = k = v = np.arange(6.0).reshape(3, 2)
    mask = np.array([[True, False, False], [False, False, False], [True, True, True]])
    r = scaled_dot_product_attention(q, k, v, mask=mask)
    assert r.weights[1].tolist() == [0.0, 0.0, 0.0]
    assert r.output[1].tolist() == [0.0, 0.0]
    assert r.weights[0].tolist() == [1.0, 0.0, 0.0]
    np.testing.assert_allclose(r.output[0], v[0])


def test_everything_masked():
    r = scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5)), mask=np.zeros((2, 4), bool))
    assert (r.weights == 0).all() and (r.output == 0).all() and r.output.shape == (2, 5)


def test_no_keys_at_all_is_like_a_fully_masked_row():
    r = scaled_dot_product_attention(np.ones((2, 3)), np.ones((0, 3)), np.ones((0, 4)))
    assert r.weights.shape == (2, 0)
    assert r.output.shape == (2, 4) and (r.output == 0).all()


@PROPERTY
@given(st.lists(any_finite, min_size=1, max_size=8))
def test_huge_finite_scores_keep_weights_finite_and_rows_summing_to_one(column):
    # q = [[1]] and k = the column: scores are exactly the drawn values, 1e300 included.
    k = np.array(column)[:, None]
    v = np.arange(len(column), dtype=float)[:, None]
    r = scaled_dot_product_attention([[1.0]], k, v, scale=1.0)
    np.testing.assert_array_equal(r.scores[0], column)
    assert np.isfinite(r.weights).all() and np.isfinite(r.output).all()
    np.testing.assert_allclose(r.weights.sum(), 1.0, rtol=1e-12)
    assert r.weights[0, int(np.argmax(column))] > 0  # the top score always gets weight


def test_1e300_scores():
    k = np.array([[1e300], [-1e300], [5e299]])
    r = scaled_dot_product_attention([[1.0]], k, np.eye(3), scale=1.0)
    assert r.weights.tolist() == [[1.0, 0.0, 0.0]]
    np.testing.assert_array_equal(r.output, [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_scores_that_overflow_the_matmul_are_clipped_not_nan(dtype):
    big = np.sqrt(np.finfo(dtype).max) * 10  # finite, but big * big is not
    q = np.array([[big, big]], dtype=dtype)
    k = np.array([[big, -big], [-big, -big], [big, big]], dtype=dtype)  # scores: inf - inf, -inf, +inf
    r = scaled_dot_product_attention(q, k, np.eye(3, dtype=dtype))
    for arr in r:
        assert not np.isnan(arr).any()
        assert np.isfinite(arr).all()
        assert arr.dtype == dtype
    np.testing.assert_allclose(r.weights.sum(), 1.0, rtol=1e-6)
    assert r.weights[0, 2] == 1.0  # the overflowing-to-+inf score wins


def test_all_scores_overflow_negative_still_sum_to_one():
    q = np.array([[1e200, 1e200]])
    k = np.array([[-1e200, -1e200], [-1e200, -1e200]])
    r = scaled_dot_product_attention(q, k, np.eye(2))
    np.testing.assert_allclose(r.weights, [[0.5, 0.5]])


def test_default_scale_is_one_over_sqrt_d_k():
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(3, 16)), rng.normal(size=(5, 16)), rng.normal(size=(5, 2))
    default = scaled_dot_product_attention(q, k, v)
    explicit = scaled_dot_product_attention(q, k, v, scale=0.25)
    np.testing.assert_allclose(default.logits, q @ k.T / 4.0)
    np.testing.assert_allclose(default.weights, explicit.weights)


def test_temperature_divides_the_logits_and_flattens_or_sharpens():
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(4, 8)), rng.normal(size=(6, 8)), rng.normal(size=(6, 3))
    base = scaled_dot_product_attention(q, k, v)
    hot = scaled_dot_product_attention(q, k, v, temperature=2.0)
    np.testing.assert_allclose(hot.logits, base.logits / 2.0)
    np.testing.assert_allclose(hot.weights, scaled_dot_product_attention(q, k, v, scale=1 / (2 * math.sqrt(8))).weights)
    # a higher temperature never makes the distribution sharper: the largest weight goes down, entropy goes up
    entropies = []
    for t in [0.01, 0.1, 1.0, 10.0, 1000.0]:
        w = scaled_dot_product_attention(q, k, v, temperature=t).weights
        entropies.append(-(w * np.log(np.where(w > 0, w, 1))).sum(axis=-1))
    assert all((a <= b + 1e-12).all() for a, b in zip(entropies, entropies[1:], strict=False))
    cold = scaled_dot_product_attention(q, k, v, temperature=1e-6).weights
    np.testing.assert_array_equal(cold.argmax(axis=-1), base.scores.argmax(axis=-1))
    np.testing.assert_allclose(cold.max(axis=-1), 1.0)
    np.testing.assert_allclose(scaled_dot_product_attention(q, k, v, temperature=1e9).weights, 1 / 6, rtol=1e-6)


def test_scale_zero_gives_uniform_weights_and_scale_accepts_numpy_numbers():
    rng = np.random.default_rng(2)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    r = scaled_dot_product_attention(q, k, v, scale=0)
    np.testing.assert_allclose(r.weights, 0.2)
    np.testing.assert_allclose(r.output, np.broadcast_to(v.mean(axis=0), (3, 2)))
    a = scaled_dot_product_attention(q, k, v, scale=np.float32(0.5), temperature=np.int64(2))
    np.testing.assert_allclose(a.logits, q @ k.T * 0.25)


def test_result_is_a_named_tuple_in_contract_order():
    r = scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5)))
    assert isinstance(r, AttentionResult) and isinstance(r, tuple)
    assert AttentionResult._fields == ("output", "weights", "scores", "logits")
    assert [a.shape for a in r] == [(2, 5), (2, 4), (2, 4), (2, 4)]


@PROPERTY_LIGHT
@given(st.data())
def test_leading_batch_dimensions_equal_per_item_loops(data):
    batch = data.draw(st.sampled_from([(2,), (3,), (2, 3), (1, 2)]))
    n, m, d_k, d_v = (data.draw(small_dim) for _ in range(4))
    q = data.draw(hnp.arrays(np.float64, (*batch, n, d_k), elements=moderate))
    k = data.draw(hnp.arrays(np.float64, (*batch, m, d_k), elements=moderate))
    v = data.draw(hnp.arrays(np.float64, (*batch, m, d_v), elements=moderate))
    mask = data.draw(masks(n, m, batch))
    r = scaled_dot_product_attention(q, k, v, mask=mask)
    assert r.output.shape == (*batch, n, d_v) and r.weights.shape == (*batch, n, m)
    for idx in np.ndindex(*batch):
        out, w = loop_sdpa(q[idx], k[idx], v[idx], mask=mask[idx])
        _close(r.output[idx], out)
        _close(r.weights[idx], w)


def test_batch_dimensions_broadcast_like_numpy():
    rng = np.random.default_rng(3)
    q = rng.normal(size=(2, 1, 3, 4))  # [2, 1, n, d]
    k = rng.normal(size=(5, 4))  # shared keys
    v = rng.normal(size=(3, 5, 2))  # [3, m, d_v]
    r = scaled_dot_product_attention(q, k, v, mask=causal_mask(5)[:3])
    assert r.output.shape == (2, 3, 3, 2)
    for b in range(2):
        for c in range(3):
            out, _ = loop_sdpa(q[b, 0], k, v[c], mask=causal_mask(5)[:3])
            _close(r.output[b, c], out)


def test_padding_mask_equals_dropping_the_padded_keys():
    rng = np.random.default_rng(4)
    q, k, v = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 3))
    valid = np.array([[True, True, True, False, False], [True, True, True, True, True]])
    r = scaled_dot_product_attention(q, k, v, mask=padding_mask(valid))
    for b in range(2):
        keep = valid[b]
        trimmed = scaled_dot_product_attention(q[b], k[b][keep], v[b][keep])
        _close(r.output[b], trimmed.output)
        _close(r.weights[b][:, keep], trimmed.weights)
        assert (r.weights[b][:, ~keep] == 0).all()


@PROPERTY_LIGHT
@given(problems(), st.data())
def test_causal_mask_hides_the_future(problem, data):
    q, k, v, _ = problem
    n = min(len(q), len(k))
    q, k, v = q[:n], k[:n], v[:n]
    r = scaled_dot_product_attention(q, k, v, mask=causal_mask(n))
    assert (np.triu(r.weights, 1) == 0).all()
    # changing keys/values after position i cannot change output i
    i = data.draw(st.integers(0, n - 1))
    k2, v2 = k.copy(), v.copy()
    k2[i + 1 :] += 5.0
    v2[i + 1 :] -= 3.0
    r2 = scaled_dot_product_attention(q, k2, v2, mask=causal_mask(n))
    np.testing.assert_array_equal(r2.output[: i + 1], r.output[: i + 1])


def test_mask_as_nested_list_and_broadcast_row():
    q = k = v = np.eye(3)
    r = scaled_dot_product_attention(q, k, v, mask=[True, False, True])  # [m] broadcasts over queries
    assert (r.weights[:, 1] == 0).all()
    r = scaled_dot_product_attention(q, k, v, mask=[[True], [False], [True]])  # [n, 1]: row 1 sees nothing
    assert (r.weights[1] == 0).all()


def test_inputs_are_not_modified():
    rng = np.random.default_rng(5)
    arrays = [rng.normal(size=s) for s in [(3, 4), (5, 4), (5, 2)]]
    mask = rng.random((3, 5)) > 0.5
    for a in [*arrays, mask]:
        a.setflags(write=False)
    copies = [a.copy() for a in [*arrays, mask]]
    scaled_dot_product_attention(*arrays, mask=mask)
    for a, c in zip([*arrays, mask], copies, strict=True):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_floating_dtype_is_preserved(dtype):
    rng = np.random.default_rng(6)
    q, k, v = (rng.normal(size=s).astype(dtype) for s in [(3, 4), (5, 4), (5, 2)])
    r = scaled_dot_product_attention(q, k, v, mask=causal_mask(5)[:3], temperature=0.7)
    assert all(a.dtype == dtype for a in r)


def test_integers_become_float64():
    r = scaled_dot_product_attention([[1, 2]], [[3, 4], [5, 6]], np.array([[1], [2]], dtype=np.int32))
    assert all(a.dtype == np.float64 for a in r)
    out, w = loop_sdpa([[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]], [[1.0], [2.0]])
    _close(r.output, out)


def test_mixed_float32_and_float64_promote_to_float64():
    r = scaled_dot_product_attention(np.ones((2, 3), np.float32), np.ones((4, 3)), np.ones((4, 5), np.float32))
    assert r.output.dtype == np.float64


# ---------------------------------------------------------------------------------------------------- errors
Q, K, V = np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"k": np.ones((4, 2))}, r"q and k must share their last dimension d_k: q \(2, 3\), k \(4, 2\)"),
        ({"v": np.ones((3, 5))}, r"k and v must have the same number of positions m: k \(4, 3\), v \(3, 5\)"),
        ({"q": np.ones(3)}, r"q must have at least 2 dimensions \[\.\.\., n, d_k\], got shape \(3,\)"),
        ({"k": np.ones(3)}, r"k must have at least 2 dimensions \[\.\.\., m, d_k\], got shape \(3,\)"),
        ({"v": np.float64(1.0)}, r"v must have at least 2 dimensions .*got shape \(\)"),
        ({"q": np.ones((2, 2, 3)), "k": np.ones((3, 4, 3))}, r"leading \(batch\) dimensions do not broadcast: q \(2, 2, 3\), k \(3, 4, 3\)"),
        ({"q": np.full((2, 3), np.nan)}, r"q contains NaN \(shape \(2, 3\)\)"),
        ({"k": np.full((4, 3), np.inf)}, r"k contains inf \(shape \(4, 3\)\)"),
        ({"v": np.full((4, 5), -np.inf)}, r"v contains inf"),
        ({"q": np.full((2, 3), "a")}, r"q must hold real numbers, got dtype <U1 with shape \(2, 3\)"),
        ({"k": np.ones((4, 3), bool)}, r"k must hold real numbers, got dtype bool with shape \(4, 3\)"),
        ({"v": np.ones((4, 5), complex)}, r"v must hold real numbers, got dtype complex128 with shape \(4, 5\)"),
        ({"q": np.ones((2, 3), object)}, r"q must hold real numbers, got dtype object"),
        ({"q": [[1.0, 2.0], [3.0]]}, r"q could not be read as an array"),
        ({"mask": np.ones((3, 4), bool)}, r"mask of shape \(3, 4\) does not broadcast to the scores' shape \(2, 4\)"),
        ({"mask": np.ones((2, 2, 4), bool)}, r"mask of shape \(2, 2, 4\) does not broadcast to the scores' shape \(2, 4\)"),
        ({"mask": np.ones((2, 4), int)}, r"mask must be boolean \(True = may attend\), got dtype int64 with shape \(2, 4\)"),
        ({"mask": np.ones((2, 4))}, r"mask must be boolean.*float64"),
        ({"mask": "yes"}, r"mask must be boolean.*<U3"),
        ({"temperature": 0}, r"temperature must be > 0, got 0"),
        ({"temperature": -1.5}, r"temperature must be > 0, got -1.5"),
        ({"temperature": np.inf}, r"temperature must be finite"),
        ({"temperature": np.nan}, r"temperature must be finite"),
        ({"temperature": "hot"}, r"temperature must be a real number, got 'hot' of type str"),
        ({"temperature": None}, r"temperature must be a real number"),
        ({"temperature": True}, r"temperature must be a real number"),
        ({"temperature": np.array([1.0, 2.0])}, r"temperature must be a real number.*ndarray"),
        ({"scale": np.nan}, r"scale must be finite"),
        ({"scale": "big"}, r"scale must be a real number"),
        ({"scale": 1e300, "temperature": 1e-300}, r"scale / temperature = 1e\+300 / 1e-300 overflows float64"),
    ],
    ids=lambda x: x if isinstance(x, str) and len(x) < 12 else None,
)
def test_errors_name_the_problem_and_shapes(kwargs, match):
    args = {"q": Q, "k": K, "v": V} | kwargs
    with pytest.raises(ValueError, match=match):
        scaled_dot_product_attention(**args)
