"""Softmax and the two classic scoring functions: scaled dot-product (Vaswani 2017) and additive (Bahdanau 2014).

Each function makes one checking call (attention_core.checks) and then writes its formula, with the shapes beside
it: `[..., n, d_k]` means any leading (batch, head) dimensions, then n query positions of width d_k. Rows of a
score matrix are queries, columns are keys. A mask is boolean, True = may attend; a row with nothing to attend gets
weights of 0 (and an output of 0), never NaN.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .checks import (
    as_mask,
    check_additive,
    check_axis,
    check_qkv,
    check_self_attention,
    clip_overflow,
    matmul_may_overflow,
)

__all__ = ["AttentionResult", "additive_attention", "scaled_dot_product_attention", "self_attention", "softmax"]


class AttentionResult(NamedTuple):
    output: np.ndarray  # [..., n, d_v]
    weights: np.ndarray  # [..., n, m]   rows sum to 1, or are all 0 where nothing may be attended
    scores: np.ndarray  # [..., n, m]   raw compatibility scores
    logits: np.ndarray  # [..., n, m]   what went into softmax; -inf where masked


def softmax(x, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along `axis`; an all -inf slice gives all 0.0, never NaN."""
    x, axis = check_axis(x, axis)
    return _softmax(x, axis)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None, temperature: float = 1.0) -> AttentionResult:
    """softmax(q @ k^T * scale / temperature, masked) @ v.  q [..., n, d_k], k [..., m, d_k], v [..., m, d_v].

    scale defaults to 1 / sqrt(d_k); mask is boolean, broadcastable to [..., n, m], True = may attend.
    """
    q, k, v, factor, _ = check_qkv(q, k, v, scale, temperature)
    clip = matmul_may_overflow(q, k, factor)  # only for inputs near the float limit
    with np.errstate(over="ignore", invalid="ignore"):
        scores = clip_overflow(q @ np.swapaxes(k, -1, -2), clip)  # [..., n, d_k] @ [..., d_k, m] -> [..., n, m]
        logits = clip_overflow(scores * factor, clip)  # [..., n, m]
    logits = _masked(logits, mask)  # [..., n, m], -inf where the mask is False
    weights = _softmax(logits)  # [..., n, m]
    output = weights @ v  # [..., n, m] @ [..., m, d_v] -> [..., n, d_v]
    return AttentionResult(output, weights, scores, logits)


def additive_attention(query, keys, values, w_q, w_k, v_a, mask=None) -> AttentionResult:
    """Bahdanau scores e_ij = v_a . tanh(query_i @ w_q + keys_j @ w_k), then softmax and a weighted sum of values.

    query [..., n, d_q], keys [..., m, d_k], values [..., m, d_v], w_q [d_q, d_a], w_k [d_k, d_a], v_a [d_a].
    The result's scores and logits are the same array: e, with -inf where the mask is False.
    """
    query, keys, values, w_q, w_k, v_a, dtype = check_additive(query, keys, values, w_q, w_k, v_a)
    with np.errstate(over="ignore", invalid="ignore"):
        # [..., n, 1, d_a] + [..., 1, m, d_a] -> [..., n, m, d_a]
        hidden = np.tanh((query @ w_q)[..., :, None, :] + (keys @ w_k)[..., None, :, :])
        e = (hidden @ v_a).astype(dtype, copy=False)  # [..., n, m, d_a] @ [d_a] -> [..., n, m]
    # tanh keeps |e| <= sum |v_a|, but huge weights can still give inf + -inf = NaN; this pass is cheap beside tanh.
    e = clip_overflow(e)
    logits = _masked(e, mask)  # [..., n, m]
    weights = _softmax(logits)  # [..., n, m]
    output = weights @ values  # [..., n, m] @ [..., m, d_v] -> [..., n, d_v]
    return AttentionResult(output, weights, logits, logits)


def self_attention(x, w_q, w_k, w_v, mask=None) -> AttentionResult:
    """Each position of x attends to every position of x.  x [n, d_model], w_q/w_k [d_model, d_k], w_v [d_model, d_v]."""
    x, w_q, w_k, w_v = check_self_attention(x, w_q, w_k, w_v)
    # [n, d_model] @ [d_model, d] -> [n, d], three times
    return scaled_dot_product_attention(x @ w_q, x @ w_k, x @ w_v, mask=mask)


# ---------------------------------------------------------------------------------------------------------------
# The two steps every scoring function ends with


def _masked(logits: np.ndarray, mask) -> np.ndarray:
    """-inf where the mask (boolean, broadcastable to logits' [..., n, m]) is False; logits itself without a mask."""
    if mask is None:
        return logits
    full = as_mask(mask, logits.shape)
    return np.where(full, logits, -np.inf).astype(logits.dtype, copy=False)


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax without the checks: x holds no NaN (callers make sure); -inf marks masked entries."""
    if x.shape[axis] == 0:
        return x.copy()
    m = np.max(x, axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        # Rare path, kept out of the usual one so that costs no extra pass over x.
        # A slice with +inf shares its weight among its +inf entries; an all -inf slice gets weight 0.
        has_posinf = np.isposinf(m)
        if has_posinf.any():
            x = np.where(has_posinf, np.where(np.isposinf(x), 0.0, -np.inf), x).astype(x.dtype, copy=False)
        m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)
    # After the shift each slice's largest entry is 0, so exp cannot overflow and a sum is >= 1 (or 0 if all -inf).
    with np.errstate(over="ignore", under="ignore"):
        e = np.subtract(x, m)  # [..., n, m]; (-1e308) - 1e308 gives -inf, whose exp is the right 0
        np.exp(e, out=e)
    s = np.sum(e, axis=axis, keepdims=True)
    e /= np.where(s > 0, s, 1.0).astype(e.dtype, copy=False)
    return e
