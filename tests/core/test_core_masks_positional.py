"""causal_mask, padding_mask (shapes, broadcasting) and sinusoidal_positional_encoding (the formula)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import causal_mask, padding_mask, scaled_dot_product_attention, sinusoidal_positional_encoding
from tests.core.core_reference import PROPERTY, PROPERTY_LIGHT, loop_positional

pytestmark = pytest.mark.filterwarnings("error")


@PROPERTY
@given(st.integers(0, 40))
def test_causal_mask_is_true_on_and_below_the_diagonal(n):
    m = causal_mask(n)
    assert m.shape == (n, n) and m.dtype == np.bool_
    for i in range(n):
        for j in range(n):
            assert m[i, j] == (j <= i)


def test_causal_mask_small_example_and_numpy_int():
    assert causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert causal_mask(np.int64(2)).shape == (2, 2)
    assert causal_mask(0).shape == (0, 0)


@pytest.mark.parametrize(
    ("n", "match"),
    [(-1, r"n must be at least 0, got -1"), (2.0, r"n must be an integer, got 2.0"), ("3", r"n must be an integer, got '3'"),
     (True, r"n must be an integer, got True"), (None, r"n must be an integer, got None")],
)
def test_causal_mask_errors(n, match):
    with pytest.raises(ValueError, match=match):
        causal_mask(n)


@PROPERTY
@given(hnp.arrays(np.bool_, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)), st.integers(1, 4))
def test_padding_mask_shape_and_broadcast_over_queries(valid, n_queries):
    pm = padding_mask(valid)
    assert pm.shape == (*valid.shape[:-1], 1, valid.shape[-1]) and pm.dtype == np.bool_
    full = np.broadcast_to(pm, (*valid.shape[:-1], n_queries, valid.shape[-1]))
    for i in range(n_queries):
        np.testing.assert_array_equal(full[..., i, :], valid)


def test_padding_mask_from_list_and_combined_with_causal():
    pm = padding_mask([True, True, False])
    assert pm.tolist() == [[True, True, False]]
    both = causal_mask(3) & pm  # [3, 3] & [1, 3]
    assert both.tolist() == [[True, False, False], [True, True, False], [True, True, False]]
    r = scaled_dot_product_attention(np.eye(3), np.eye(3), np.eye(3), mask=both)
    assert (r.weights[:, 2] == 0).all()
    np.testing.assert_allclose(r.weights.sum(axis=-1), 1.0)


def test_padding_mask_batch_broadcasts_against_batch_scores():
    valid = np.array([[True, False, True, True], [True, True, True, False]])
    q = np.ones((2, 3, 5))
    r = scaled_dot_product_attention(q, np.ones((2, 4, 5)), np.ones((2, 4, 1)), mask=padding_mask(valid))
    assert (r.weights[0, :, 1] == 0).all() and (r.weights[1, :, 3] == 0).all()
    np.testing.assert_allclose(r.weights[0, :, [0, 2, 3]], 1 / 3)


@pytest.mark.parametrize(
    ("valid", "match"),
    [
        (np.array([1, 0, 1]), r"valid must be boolean \(True for real tokens\), got dtype int64 with shape \(3,\)"),
        (np.array([1.0, 0.0]), r"valid must be boolean.*float64"),
        (np.array(["a"]), r"valid must be boolean.*<U1"),
        (np.True_, r"valid must have at least one dimension \[\.\.\., m\], got shape \(\)"),
    ],
)
def test_padding_mask_errors(valid, match):
    with pytest.raises(ValueError, match=match):
        padding_mask(valid)


@PROPERTY_LIGHT
@given(st.integers(0, 30), st.integers(1, 24))
def test_positional_encoding_matches_the_formula(n, d):
    pe = sinusoidal_positional_encoding(n, d)
    assert pe.shape == (n, d) and pe.dtype == np.float64
    np.testing.assert_allclose(pe, loop_positional(n, d), rtol=1e-12, atol=1e-12)


def test_positional_encoding_known_values():
    pe = sinusoidal_positional_encoding(4, 6)
    np.testing.assert_array_equal(pe[0], [0, 1, 0, 1, 0, 1])  # sin 0 on even columns, cos 0 on odd ones
    assert pe[1, 0] == pytest.approx(math.sin(1.0))
    assert pe[1, 1] == pytest.approx(math.cos(1.0))
    assert pe[3, 2] == pytest.approx(math.sin(3 / 10000 ** (2 / 6)))
    assert pe[3, 5] == pytest.approx(math.cos(3 / 10000 ** (4 / 6)))
    assert np.abs(sinusoidal_positional_encoding(200, 16)).max() <= 1.0


@pytest.mark.parametrize(
    ("n", "d", "match"),
    [(-1, 4, r"n must be at least 0, got -1"), (4, 0, r"d must be at least 1, got 0"), (4.5, 4, r"n must be an integer"),
     (4, "8", r"d must be an integer, got '8'"), (4, None, r"d must be an integer, got None")],
)
def test_positional_encoding_errors(n, d, match):
    with pytest.raises(ValueError, match=match):
        sinusoidal_positional_encoding(n, d)
