"""lessons.walkthrough (self-attention step by step, sqrt(d) demo, word in contexts) and projection.pca_2d."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_core import causal_mask, scaled_dot_product_attention, softmax
from lessons.embeddings import D_MODEL, FEATURE_NAMES, SENSE_CONTEXTS, embed, tokenize, word_vector
from lessons.projection import pca_2d
from lessons.walkthrough import (
    build_mask,
    projections,
    saturation_curve,
    scaling_demo,
    self_attention_steps,
    word_in_contexts,
)

X = embed(tokenize("The cat sat on the mat because it was tired"))  # [10, 16]


def test_identity_projections_give_q_k_v_equal_x():
    s = self_attention_steps(X, *projections(D_MODEL))
    assert np.array_equal(s.q, X) and np.array_equal(s.k, X) and np.array_equal(s.v, X)
    assert s.scale == pytest.approx(1 / np.sqrt(D_MODEL))


def test_steps_agree_with_scaled_dot_product_attention():
    w = projections(D_MODEL, "random", seed=3)
    s = self_attention_steps(X, *w, temperature=0.7)
    q, k, v = X @ w[0], X @ w[1], X @ w[2]
    ref = scaled_dot_product_attention(q, k, v, temperature=0.7)
    assert s.q.shape == (10, 8) and s.scores.shape == (10, 10) and s.output.shape == (10, 8)
    assert np.allclose(s.scores, q @ k.T)
    assert np.allclose(s.scaled, q @ k.T / np.sqrt(8) / 0.7)
    assert np.allclose(s.weights, ref.weights) and np.allclose(s.output, ref.output)


def test_unscaled_uses_factor_one():
    s = self_attention_steps(X, *projections(D_MODEL), scaled=False, temperature=2.0)
    assert s.scale == 1.0
    assert np.allclose(s.weights, softmax(X @ X.T / 2.0))


def test_random_projections_are_seeded():
    a, b = projections(D_MODEL, "random", seed=5), projections(D_MODEL, "random", seed=5)
    c = projections(D_MODEL, "random", seed=6)
    assert all(np.array_equal(p, r) for p, r in zip(a, b))
    assert not np.allclose(a[0], c[0])
    with pytest.raises(ValueError, match="kind"):
        projections(D_MODEL, "learned")


def test_build_mask_padding_and_causal():
    valid = np.array([True, True, True, False, False])
    m = build_mask(valid)
    assert m.shape == (5, 5) and not m[:, 3:].any() and m[:, :3].all()
    mc = build_mask(valid, causal=True)
    assert np.array_equal(mc, m & causal_mask(5))


def test_causal_steps_hide_exactly_the_future():
    s = self_attention_steps(X, *projections(D_MODEL), mask=build_mask(np.ones(10, bool), causal=True))
    future = ~causal_mask(10)
    assert np.all(s.weights[future] == 0) and np.all(np.isneginf(s.masked[future]))
    assert np.all(s.weights[~future] > 0)
    assert np.allclose(s.weights.sum(-1), 1)


def test_padding_keys_get_zero_weight():
    xp = np.vstack([X, np.zeros((3, D_MODEL))])
    valid = np.r_[np.ones(10, bool), np.zeros(3, bool)]
    s = self_attention_steps(xp, *projections(D_MODEL), mask=build_mask(valid))
    assert np.all(s.weights[:, 10:] == 0)
    assert np.allclose(s.weights[:10, :10], self_attention_steps(X, *projections(D_MODEL)).weights)


def test_scaling_demo_saturates_without_scaling():
    demo = scaling_demo(512, n_keys=8, seed=0)
    assert demo.unscaled.max() > 0.99
    assert demo.scaled.max() < demo.unscaled.max()
    assert np.allclose(demo.scaled, softmax(demo.scores / np.sqrt(512)))
    again = scaling_demo(512, n_keys=8, seed=0)
    assert np.array_equal(demo.scores, again.scores)


def test_saturation_curve_rises_unscaled_and_stays_flat_scaled():
    unscaled, scaled = saturation_curve([4, 64, 512], trials=100)
    assert unscaled[0] < unscaled[1] < unscaled[2] and unscaled[2] > 0.9
    assert np.ptp(scaled) < 0.1


def test_apple_moves_towards_its_sense():
    s = SENSE_CONTEXTS["Apple"]
    static, out, where = word_in_contexts("Apple", s["fruit"] + s["company"])
    assert np.array_equal(static, word_vector("apple")) and all(i >= 0 for i in where)
    fruit, company = FEATURE_NAMES.index("fruit"), FEATURE_NAMES.index("company")
    lean = out[:, fruit] - out[:, company]  # [6]
    assert np.all(lean[:3] > 0) and np.all(lean[3:] < 0)


def test_word_in_contexts_absent_word_gives_zero_row():
    _, out, where = word_in_contexts("Apple", ["The cat sat"])
    assert where == [-1] and not out.any()


def test_pca_2d_recovers_a_plane():
    rng = np.random.default_rng(0)
    plane = rng.standard_normal((50, 2)) * [5.0, 1.0]  # [50, 2]
    basis = np.linalg.qr(rng.standard_normal((16, 2)))[0].T  # [2, 16] orthonormal rows
    p = pca_2d(plane @ basis + 3.0)
    assert p.coords.shape == (50, 2) and p.explained.sum() == pytest.approx(1.0)
    assert p.explained[0] > p.explained[1]
    assert np.allclose(np.abs(p.components @ p.components.T), np.eye(2), atol=1e-9)
    # distances are kept when the data lies in a plane
    d_orig = np.linalg.norm(plane[:, None] - plane[None], axis=-1)
    d_proj = np.linalg.norm(p.coords[:, None] - p.coords[None], axis=-1)
    assert np.allclose(d_orig, d_proj)


@given(arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(1, 5)), elements=st.floats(-100, 100)))
@settings(max_examples=100, deadline=None)
def test_pca_2d_never_nan_and_deterministic(points):
    a, b = pca_2d(points), pca_2d(points.copy())
    assert a.coords.shape == (points.shape[0], 2)
    assert np.isfinite(a.coords).all() and np.isfinite(a.explained).all()
    assert np.array_equal(a.coords, b.coords)


def test_pca_2d_degenerate_inputs():
    assert not pca_2d(np.ones((4, 3))).coords.any()  # no spread: every point at the origin
    one = pca_2d(np.array([[1.0, 2.0]]))
    assert one.coords.shape == (1, 2) and not one.coords.any()
    with pytest.raises(ValueError, match="NaN"):
        pca_2d(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        pca_2d(np.zeros((2, 2, 2)))
