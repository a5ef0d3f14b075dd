"""softmax: sums to 1, shift invariance, -inf / +inf / huge values, axis handling, dtypes, errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import softmax
from tests.core.core_reference import PROPERTY, any_finite, loop_softmax, moderate

# The library must not spray RuntimeWarnings (overflow, invalid value) on its way to a correct answer.
pytestmark = pytest.mark.filterwarnings("error")


@PROPERTY
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), elements=any_finite))
def test_rows_sum_to_one_and_stay_finite_for_any_finite_input(x):
    w = softmax(x)
    assert np.isfinite(w).all()
    assert (w >= 0).all() and (w <= 1).all()
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=1e-12)


@PROPERTY
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), elements=moderate),
    st.floats(-1e3, 1e3),
)
def test_shift_invariant(x, c):
    np.testing.assert_allclose(softmax(x + c), softmax(x), rtol=1e-9, atol=1e-12)


@PROPERTY
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=moderate))
def test_matches_loop_with_math_exp(x):
    np.testing.assert_allclose(softmax(x), loop_softmax(x.tolist()), rtol=1e-12, atol=1e-15)


@PROPERTY
@given(hnp.arrays(np.float64, (3, 4, 5), elements=moderate), st.integers(-3, 2))
def test_axis_is_respected(x, axis):
    w = softmax(x, axis=axis)
    np.testing.assert_allclose(w.sum(axis=axis), 1.0, rtol=1e-12)
    expected = np.moveaxis(softmax(np.moveaxis(x, axis, -1)), -1, axis)
    np.testing.assert_allclose(w, expected, rtol=1e-12)


@PROPERTY
@given(hnp.arrays(np.float64, (4, 6), elements=moderate), hnp.arrays(np.bool_, (4, 6)))
def test_minus_inf_entries_get_exactly_zero(x, keep):
    w = softmax(np.where(keep, x, -np.inf))
    assert (w[~keep] == 0).all()
    assert not np.isnan(w).any()
    row_has_any = keep.any(axis=-1)
    np.testing.assert_allclose(w.sum(axis=-1)[row_has_any], 1.0, rtol=1e-12)
    assert (w[~row_has_any] == 0).all()


def test_all_minus_inf_slice_is_all_zero_not_nan():
    w = softmax(np.array([[-np.inf, -np.inf, -np.inf], [0.0, 1.0, -np.inf]]))
    assert w[0].tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(w[1].sum(), 1.0)


def test_plus_inf_entries_share_the_weight():
    w = softmax(np.array([np.inf, 3.0, np.inf, -np.inf]))
    assert w.tolist() == [0.5, 0.0, 0.5, 0.0]


@pytest.mark.parametrize("big", [1e300, 1e308, np.finfo(np.float64).max])
def test_huge_finite_values_do_not_overflow(big):
    w = softmax(np.array([big, -big, big / 2, 0.0]))
    assert w.tolist() == [1.0, 0.0, 0.0, 0.0]
    w = softmax(np.array([big, big]))
    assert w.tolist() == [0.5, 0.5]


def test_float32_stays_float32_and_ints_become_float64():
    assert softmax(np.array([1.0, 2.0], dtype=np.float32)).dtype == np.float32
    assert softmax(np.array([[3.0e38, -3.0e38]], dtype=np.float32)).dtype == np.float32
    assert softmax(np.array([1, 2, 3])).dtype == np.float64
    assert softmax([1, 2, 3]).dtype == np.float64


def test_does_not_modify_its_input():
    x = np.array([[1.0, np.inf, -np.inf], [-np.inf, -np.inf, -np.inf]])
    before = x.copy()
    x.setflags(write=False)  # a write would raise
    softmax(x)
    np.testing.assert_array_equal(x, before)


def test_empty_axis_returns_empty():
    assert softmax(np.zeros((2, 0))).shape == (2, 0)
    assert softmax(np.zeros((0, 3))).shape == (0, 3)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (np.array(["a", "b"]), r"real numbers.*<U1.*\(2,\)"),
        (np.array([True, False]), r"real numbers.*bool.*\(2,\)"),
        (np.array([1 + 2j, 3j]), r"real numbers.*complex128.*\(2,\)"),
        (np.array([1.0, None], dtype=object), r"real numbers.*object.*\(2,\)"),
        ([[1.0, 2.0], [3.0]], r"could not be read as an array"),
        (np.array([1.0, np.nan]), r"NaN.*\(2,\)"),
        (np.float64(3.0), r"at least one dimension.*scalar"),
    ],
    ids=["str", "bool", "complex", "object", "ragged", "nan", "scalar"],
)
def test_bad_input_raises_value_error_naming_the_problem(bad, match):
    with pytest.raises(ValueError, match=match):
        softmax(bad)


@pytest.mark.parametrize(
    ("axis", "match"),
    [(2, r"axis 2 is out of range.*\(2, 3\)"), (-3, r"axis -3 is out of range"), (0.5, r"axis must be an integer"),
     (True, r"axis must be an integer"), ("0", r"axis must be an integer")],
)
def test_bad_axis(axis, match):
    with pytest.raises(ValueError, match=match):
        softmax(np.zeros((2, 3)), axis=axis)


def test_numpy_integer_axis_is_fine():
    np.testing.assert_allclose(softmax(np.zeros((2, 4)), axis=np.int64(0)), 0.5)


def test_error_message_mentions_shape_exactly():
    with pytest.raises(ValueError, match=re.escape("(2, 2)")):
        softmax(np.array([[1.0, np.nan], [0.0, 0.0]]))
