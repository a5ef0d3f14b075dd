"""Softmax and the two classic scoring functions: scaled dot-product (Vaswani 2017) and additive (Bahdanau 2014)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, as_mask, batch_shape, numeric_input


class AttentionResult(NamedTuple):
    output: np.ndarray  # [..., n, d_v]
    weights: np.ndarray  # [..., n, m]   rows sum to 1, or are all 0 where nothing may be attended
    scores: np.ndarray  # [..., n, m]   raw compatibility scores
    logits: np.ndarray  # [..., n, m]   what went into softmax; -inf where masked


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    # x holds no NaN. Fast path: every slice has a finite max, so exp(x - max) has a 1 in it and the sum is >= 1.
    m = np.max(x, axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        # A slice with +inf shares its weight among its +inf entries; an all -inf slice gets weight 0.
        has_posinf = np.isposinf(m)
        x = np.where(has_posinf, np.where(np.isposinf(x), 0.0, -np.inf), x).astype(x.dtype, copy=False)
        m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        e = np.exp(x - m)
    s = np.sum(e, axis=axis, keepdims=True)
    e /= np.where(s > 0, s, 1.0).astype(e.dtype, copy=False)
    return e


def softmax(x, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along `axis`; an all -inf slice gives all 0.0, never NaN."""
    arr = as_float_array(x, "softmax input")
    if np.isnan(arr).any():
        raise ValueError(f"softmax input contains NaN (shape {arr.shape})")
    if arr.ndim == 0:
        raise ValueError("softmax needs at least one dimension, got a scalar")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis {axis} is out of range for input of shape {arr.shape}")
    if arr.shape[axis] == 0:
        return arr.copy()
    return _softmax(arr, axis)


def _finite_logits(logits: np.ndarray) -> np.ndarray:
    # Finite inputs can still overflow in a matmul (1e200 * 1e200); keep NaN out of softmax.
    if np.isnan(logits).any():
        logits = np.where(np.isnan(logits), 0.0, logits).astype(logits.dtype, copy=False)
    return logits


def _masked(logits: np.ndarray, mask) -> np.ndarray:
    if mask is None:
        return logits
    full = as_mask(mask, logits.shape)
    return np.where(full, logits, -np.inf).astype(logits.dtype, copy=False)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None, temperature: float = 1.0) -> AttentionResult:
    """softmax(q @ k^T * scale / temperature, masked) @ v.  q [..., n, d_k], k [..., m, d_k], v [..., m, d_v]."""
    q = numeric_input(q, "q", 2, "[..., n, d_k]")
    k = numeric_input(k, "k", 2, "[..., m, d_k]")
    v = numeric_input(v, "v", 2, "[..., m, d_v]")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must share their last dimension d_k: q {q.shape}, k {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of positions m: k {k.shape}, v {v.shape}")
    batch_shape(("q", q), ("k", k), ("v", v))
    d_k = q.shape[-1]
    if scale is None:
        scale = 1.0 / np.sqrt(d_k) if d_k > 0 else 1.0
    if not np.isfinite(scale) or isinstance(scale, bool):
        raise ValueError(f"scale must be a finite number, got {scale!r}")
    if isinstance(temperature, bool) or not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    dtype = np.result_type(q, k, v)
    q, k, v = q.astype(dtype, copy=False), k.astype(dtype, copy=False), v.astype(dtype, copy=False)

    with np.errstate(over="ignore", invalid="ignore"):
        scores = q @ np.swapaxes(k, -1, -2)  # [..., n, d_k] @ [..., d_k, m] -> [..., n, m]
        logits = scores * dtype.type(scale / temperature)  # [..., n, m]
    logits = _masked(_finite_logits(logits), mask)
    weights = _softmax(logits)  # [..., n, m]
    return AttentionResult(weights @ v, weights, scores, logits)  # [..., n, m] @ [..., m, d_v] -> [..., n, d_v]


def additive_attention(query, keys, values, w_q, w_k, v_a, mask=None) -> AttentionResult:
    """Bahdanau scores e_ij = v_a . tanh(query_i @ w_q + keys_j @ w_k), then softmax and a weighted sum of values.

    query [..., n, d_q], keys [..., m, d_k], values [..., m, d_v], w_q [d_q, d_a], w_k [d_k, d_a], v_a [d_a].
    """
    query = numeric_input(query, "query", 2, "[..., n, d_q]")
    keys = numeric_input(keys, "keys", 2, "[..., m, d_k]")
    values = numeric_input(values, "values", 2, "[..., m, d_v]")
    w_q = numeric_input(w_q, "w_q", 2, "[d_q, d_a]")
    w_k = numeric_input(w_k, "w_k", 2, "[d_k, d_a]")
    v_a = numeric_input(v_a, "v_a", 1, "[d_a]")
    if w_q.ndim != 2 or w_k.ndim != 2 or v_a.ndim != 1:
        raise ValueError(f"w_q and w_k must be 2-D and v_a 1-D: w_q {w_q.shape}, w_k {w_k.shape}, v_a {v_a.shape}")
    if query.shape[-1] != w_q.shape[0]:
        raise ValueError(f"query's last dimension must match w_q's first: query {query.shape}, w_q {w_q.shape}")
    if keys.shape[-1] != w_k.shape[0]:
        raise ValueError(f"keys' last dimension must match w_k's first: keys {keys.shape}, w_k {w_k.shape}")
    if not w_q.shape[1] == w_k.shape[1] == v_a.shape[0]:
        raise ValueError(f"w_q, w_k and v_a must share d_a: w_q {w_q.shape}, w_k {w_k.shape}, v_a {v_a.shape}")
    if keys.shape[-2] != values.shape[-2]:
        raise ValueError(f"keys and values must have the same number of positions m: keys {keys.shape}, values {values.shape}")
    batch_shape(("query", query), ("keys", keys), ("values", values))
    dtype = np.result_type(query, keys, values, w_q, w_k, v_a)

    with np.errstate(over="ignore", invalid="ignore"):
        hidden = np.tanh((query @ w_q)[..., :, None, :] + (keys @ w_k)[..., None, :, :])  # [..., n, m, d_a]
        e = (hidden @ v_a).astype(dtype, copy=False)  # [..., n, m]
    logits = _masked(_finite_logits(e), mask)
    weights = _softmax(logits)  # [..., n, m]
    return AttentionResult(weights @ values.astype(dtype, copy=False), weights, logits, logits)


def self_attention(x, w_q, w_k, w_v, mask=None) -> AttentionResult:
    """Each position of x attends to every position of x.  x [n, d_model], w_q/w_k [d_model, d_k], w_v [d_model, d_v]."""
    x = numeric_input(x, "x", 2, "[n, d_model]")
    ws = {name: numeric_input(w, name, 2, "[d_model, d]") for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v))}
    for name, w in ws.items():
        if w.ndim != 2 or w.shape[0] != x.shape[-1]:
            raise ValueError(f"{name} must be [d_model, d] with d_model = {x.shape[-1]}: x {x.shape}, {name} {w.shape}")
    if ws["w_q"].shape[1] != ws["w_k"].shape[1]:
        raise ValueError(f"w_q and w_k must project to the same d_k: w_q {ws['w_q'].shape}, w_k {ws['w_k'].shape}")
    # [n, d_model] @ [d_model, d] -> [n, d]
    return scaled_dot_product_attention(x @ ws["w_q"], x @ ws["w_k"], x @ ws["w_v"], mask=mask)
