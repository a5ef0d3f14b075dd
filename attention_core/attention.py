"""Softmax and the two classic scoring functions: scaled dot-product (Vaswani 2017) and additive (Bahdanau 2014)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .checks import as_float_array, as_mask, batch_shape, finite_number, numeric_input


class AttentionResult(NamedTuple):
    output: np.ndarray  # [..., n, d_v]
    weights: np.ndarray  # [..., n, m]   rows sum to 1, or are all 0 where nothing may be attended
    scores: np.ndarray  # [..., n, m]   raw compatibility scores
    logits: np.ndarray  # [..., n, m]   what went into softmax; -inf where masked


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    # x holds no NaN (callers make sure); -inf marks masked entries.
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


def softmax(x, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along `axis`; an all -inf slice gives all 0.0, never NaN."""
    arr = as_float_array(x, "softmax input")
    if np.isnan(arr).any():
        raise ValueError(f"softmax input contains NaN (shape {arr.shape})")
    if arr.ndim == 0:
        raise ValueError("softmax needs at least one dimension, got a scalar")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got {axis!r} for input of shape {arr.shape}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis {axis} is out of range for input of shape {arr.shape}")
    return _softmax(arr, int(axis))


def _masked(logits: np.ndarray, mask) -> np.ndarray:
    if mask is None:
        return logits
    full = as_mask(mask, logits.shape)
    return np.where(full, logits, -np.inf).astype(logits.dtype, copy=False)


def _clip_overflow(x: np.ndarray) -> np.ndarray:
    # Finite inputs can still overflow inside a matmul (1e200 * 1e200 = inf, and inf - inf = NaN). An overflowed
    # score is "as large as the dtype allows", not a mask: +-inf -> +-max finite, NaN -> 0, so rows still sum to 1.
    return np.nan_to_num(x, copy=False)


def _matmul_may_overflow(a: np.ndarray, b: np.ndarray, factor: float = 1.0) -> bool:
    # |(a @ b) * factor| <= d * max|a| * max|b| * |factor|; checking the small inputs is far cheaper than the output.
    bound = a.shape[-1] * float(np.abs(a).max(initial=0.0)) * float(np.abs(b).max(initial=0.0)) * max(abs(factor), 1.0)
    return not bound < float(np.finfo(np.result_type(a, b)).max)


class _Inputs(NamedTuple):
    q: np.ndarray  # [..., n, d_k], in the common floating dtype
    k: np.ndarray  # [..., m, d_k]
    v: np.ndarray  # [..., m, d_v]
    batch: tuple[int, ...]  # the broadcast leading dimensions
    factor: float  # scale / temperature, checked to fit the dtype


def _prepare(q, k, v, scale, temperature) -> _Inputs:
    """The checks and conversions that scaled_dot_product_attention and chunked_attention share."""
    q = numeric_input(q, "q", 2, "[..., n, d_k]")
    k = numeric_input(k, "k", 2, "[..., m, d_k]")
    v = numeric_input(v, "v", 2, "[..., m, d_v]")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must share their last dimension d_k: q {q.shape}, k {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of positions m: k {k.shape}, v {v.shape}")
    batch = batch_shape(("q", q), ("k", k), ("v", v))
    d_k = q.shape[-1]
    if scale is None:
        scale = 1.0 / np.sqrt(d_k) if d_k > 0 else 1.0
    scale = finite_number(scale, "scale")
    temperature = finite_number(temperature, "temperature")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    dtype = np.result_type(q, k, v)
    factor = scale / temperature
    if not abs(factor) <= float(np.finfo(dtype).max):
        raise ValueError(f"scale / temperature = {scale!r} / {temperature!r} overflows {dtype}")
    return _Inputs(q.astype(dtype, copy=False), k.astype(dtype, copy=False), v.astype(dtype, copy=False), batch, factor)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None, temperature: float = 1.0) -> AttentionResult:
    """softmax(q @ k^T * scale / temperature, masked) @ v.  q [..., n, d_k], k [..., m, d_k], v [..., m, d_v]."""
    q, k, v, _, factor = _prepare(q, k, v, scale, temperature)
    dtype = q.dtype

    with np.errstate(over="ignore", invalid="ignore"):
        scores = q @ np.swapaxes(k, -1, -2)  # [..., n, d_k] @ [..., d_k, m] -> [..., n, m]
        logits = scores * dtype.type(factor)  # [..., n, m]
    if _matmul_may_overflow(q, k, factor):
        scores = _clip_overflow(scores)
        with np.errstate(over="ignore"):
            logits = _clip_overflow(scores * dtype.type(factor))
    logits = _masked(logits, mask)
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
        e = (hidden @ v_a).astype(dtype, copy=False)  # [..., n, m, d_a] @ [d_a] -> [..., n, m]
    # tanh keeps |e| <= sum |v_a|, but huge weights can still give inf + -inf = NaN; this pass is cheap beside tanh.
    logits = _masked(_clip_overflow(e), mask)
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
