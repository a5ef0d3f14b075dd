"""GRU and Elman RNN: backward passes and Jacobians against finite differences (float64, small sizes)."""

from __future__ import annotations

import numpy as np
import pytest

from models import rnn


def _gru(e=3, h=4, seed=0) -> rnn.GRUParams:
    p = rnn.gru_init(e, h, seed, dtype=np.float64)
    rng = np.random.default_rng(seed + 1)  # non-zero biases so every term of the backward pass is exercised
    return p._replace(b_x=0.3 * rng.standard_normal(3 * h), b_h=0.3 * rng.standard_normal(3 * h))


def _numeric_jacobian(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f(x) / d x by central differences: [*f.shape, *x.shape]."""
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        jac[(...,) + idx] = (np.asarray(f(xp)) - np.asarray(f(xm))) / (2 * eps)
    return jac


def test_gru_backward_matches_finite_differences_with_padding():
    p = _gru()
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 5, 3))
    h0 = 0.5 * rng.standard_normal((2, 4))
    valid = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], bool)
    d_states = rng.standard_normal((2, 5, 4))
    d_final = rng.standard_normal((2, 4))

    def loss(params: rnn.GRUParams, x=x, h0=h0) -> float:
        states, _ = rnn.gru_forward(params, x, h0, valid)
        return float((states * d_states).sum() + (states[:, -1] * d_final).sum())

    _, cache = rnn.gru_forward(p, x, h0, valid)
    grads, dx, dh0 = rnn.gru_backward(p, cache, d_states, d_final)
    for name in rnn.GRUParams._fields:
        arr = getattr(p, name)
        num = _numeric_jacobian(lambda a, name=name: loss(p._replace(**{name: a})), arr)
        np.testing.assert_allclose(getattr(grads, name), num, rtol=1e-6, atol=1e-8, err_msg=name)
    np.testing.assert_allclose(dx, _numeric_jacobian(lambda a: loss(p, x=a), x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dh0, _numeric_jacobian(lambda a: loss(p, h0=a), h0), rtol=1e-6, atol=1e-8)
    assert np.all(dx[1, 3:] == 0)  # padding steps have no influence


def test_padding_carries_the_state_and_gru_step_matches_forward():
    p = _gru()
    x = np.random.default_rng(0).standard_normal((2, 6, 3))
    valid = np.array([[1] * 6, [1, 1, 1, 0, 0, 0]], bool)
    states, _ = rnn.gru_forward(p, x, valid=valid)
    np.testing.assert_array_equal(states[1, 2], states[1, -1])
    alone, _ = rnn.gru_forward(p, x[1, :3])  # unbatched [T, E]
    np.testing.assert_allclose(alone, states[1, :3])
    h = np.zeros((2, 4))
    for t in range(6):
        h = rnn.gru_step(p, x[:, t], h)
    np.testing.assert_allclose(h[0], states[0, -1])


def test_gru_step_jacobians_and_their_product_match_finite_differences():
    p = _gru(3, 4, seed=5)
    x = np.random.default_rng(1).standard_normal((6, 3))
    h0 = 0.2 * np.ones(4)
    jac = rnn.gru_step_jacobians(p, x, h0)
    assert jac.shape == (6, 4, 4)
    states, _ = rnn.gru_forward(p, x, h0)
    for t in (-1, 1, 4, 5):
        start = h0 if t == -1 else states[t]

        def final_from(h, t=t):
            return rnn.gru_forward(p, x[t + 1 :], h)[0][-1] if t < 5 else h

        np.testing.assert_allclose(rnn.jacobian_product(jac, t), _numeric_jacobian(final_from, start), atol=1e-8)
    np.testing.assert_array_equal(rnn.jacobian_product(jac, 5), np.eye(4))  # zero factors: d h_n / d h_n


def test_gru_input_influence_is_the_norm_of_the_exact_jacobian():
    p = _gru(3, 4, seed=2)
    x = np.random.default_rng(4).standard_normal((5, 3))
    num = _numeric_jacobian(lambda a: rnn.gru_forward(p, a)[0][-1], x)  # [H, T, E]
    expected = np.sqrt((num**2).sum(axis=(0, 2)))
    np.testing.assert_allclose(rnn.gru_input_influence(p, x), expected, rtol=1e-6)
    spectral = [np.linalg.norm(num[:, t], 2) for t in range(5)]
    np.testing.assert_allclose(rnn.gru_input_influence(p, x, norm="spectral"), spectral, rtol=1e-6)


def test_elman_spectral_radius_and_exact_influence():
    p = rnn.elman_init(3, 5, 1.3, seed=0)
    assert rnn.spectral_radius(p.w_h) == pytest.approx(1.3)
    x = np.random.default_rng(2).standard_normal((6, 3))
    num = _numeric_jacobian(lambda a: rnn.elman_forward(p, a)[-1], x)  # [H, T, E]
    np.testing.assert_allclose(rnn.elman_input_influence(p, x), np.sqrt((num**2).sum(axis=(0, 2))), rtol=1e-6)
    # the same Jacobian as a product of step factors times the input factor
    jac = rnn.elman_step_jacobians(p, x)
    states = rnn.elman_forward(p, x)
    for t in range(6):
        via_product = rnn.jacobian_product(jac, t) @ ((1 - states[t] ** 2)[:, None] * p.w_x.T)
        np.testing.assert_allclose(via_product, num[:, t], rtol=1e-6, atol=1e-9)


def test_spectral_radius_below_one_vanishes_above_one_explodes():
    vanish = rnn.elman_influence_curve(30, 0.5)
    explode = rnn.elman_influence_curve(30, 2.0)
    assert vanish.shape == explode.shape == (30,)
    assert vanish[0] < 1e-6 * vanish[-1]  # the first word has all but vanished from h_n
    assert explode[0] > 10 * explode[-1]  # the first word's influence has grown
    assert np.all(np.isfinite(explode))


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: rnn.jacobian_product(np.zeros((3, 2, 2)), 3), "t must be"),
        (lambda: rnn.jacobian_product(np.zeros((3, 2, 2)), -2), "t must be"),
        (lambda: rnn.gru_input_influence(_gru(), np.zeros((4, 3)), norm="max"), "norm"),
        (lambda: rnn.elman_init(3, 4, -1.0), "spectral radius"),
        (lambda: rnn.elman_init(3, 4, float("nan")), "spectral radius"),
        (lambda: rnn.elman_forward(rnn.elman_init(3, 4, 1.0), np.zeros((5, 2))), "w_x"),
        (lambda: rnn.spectral_radius(np.zeros((2, 3))), "square"),
        (lambda: rnn.elman_influence_curve(0, 1.0), "n must be"),
        (lambda: rnn.gru_step_jacobians(_gru(), np.array([[np.nan, 0, 0]])), "NaN"),
    ],
)
def test_bad_input_raises_a_clear_value_error(call, needle):
    with pytest.raises(ValueError, match=needle):
        call()
