"""Multi-head attention: h heads of size d_model / h, concatenated and mixed by W_O (Vaswani et al. 2017)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .attention import scaled_dot_product_attention
from .checks import as_mask, batch_shape, numeric_input, positive_int

__all__ = ["MultiHeadParams", "MultiHeadResult", "merge_heads", "multi_head_attention", "split_heads"]


class MultiHeadParams(NamedTuple):
    w_q: np.ndarray  # [h, d_model, d_head]
    w_k: np.ndarray  # [h, d_model, d_head]
    w_v: np.ndarray  # [h, d_model, d_head]
    w_o: np.ndarray  # [h * d_head, d_model]

    @classmethod
    def random(cls, d_model: int, n_heads: int, seed: int = 0) -> "MultiHeadParams":
        """Seeded Gaussian projections scaled by 1/sqrt(fan_in); d_head = d_model // n_heads."""
        d_model = positive_int(d_model, "d_model")
        n_heads = positive_int(n_heads, "n_heads")
        if d_model % n_heads:
            raise ValueError(f"n_heads = {n_heads} does not divide d_model = {d_model}")
        d_head = d_model // n_heads
        rng = np.random.default_rng(seed)
        w_q, w_k, w_v = (rng.standard_normal((n_heads, d_model, d_head)) / np.sqrt(d_model) for _ in range(3))
        w_o = rng.standard_normal((n_heads * d_head, d_model)) / np.sqrt(n_heads * d_head)
        return cls(w_q, w_k, w_v, w_o)

    @property
    def n_heads(self) -> int:
        return self.w_q.shape[0]

    @property
    def d_head(self) -> int:
        return self.w_q.shape[2]


class MultiHeadResult(NamedTuple):
    output: np.ndarray  # [n, d_model]
    heads: np.ndarray  # [h, n, d_head]
    weights: np.ndarray  # [h, n, m]
    concat: np.ndarray  # [n, h * d_head]


def split_heads(x, n_heads: int) -> np.ndarray:
    """[..., n, d] -> [..., h, n, d // h]; head i takes columns i*d_head ... (i+1)*d_head - 1."""
    x = numeric_input(x, "x", 2, "[..., n, d]")
    n_heads = positive_int(n_heads, "n_heads")
    *lead, n, d = x.shape
    if d % n_heads:
        raise ValueError(f"n_heads = {n_heads} does not divide the last dimension d = {d} of x {x.shape}")
    return np.swapaxes(x.reshape(*lead, n, n_heads, d // n_heads), -3, -2)


def merge_heads(x) -> np.ndarray:
    """[..., h, n, d_head] -> [..., n, h * d_head], the inverse of split_heads."""
    x = numeric_input(x, "x", 3, "[..., h, n, d_head]")
    *lead, h, n, d_head = x.shape
    return np.swapaxes(x, -3, -2).reshape(*lead, n, h * d_head)


def multi_head_attention(x_q, x_kv, params: MultiHeadParams, mask=None) -> MultiHeadResult:
    """Queries from x_q [..., n, d_model], keys and values from x_kv [..., m, d_model]; mask broadcastable to [..., n, m]."""
    x_q, x_kv, p, mask = _check_inputs(x_q, x_kv, params, mask)
    q = np.einsum("...nd,hde->...hne", x_q, p.w_q)  # [..., n, d_model] -> [..., h, n, d_head]
    k = np.einsum("...md,hde->...hme", x_kv, p.w_k)  # [..., m, d_model] -> [..., h, m, d_head]
    v = np.einsum("...md,hde->...hme", x_kv, p.w_v)  # [..., m, d_model] -> [..., h, m, d_v]
    if mask is not None:
        mask = mask[..., None, :, :]  # [..., n, m] -> [..., 1, n, m]: the same mask for every head
    att = scaled_dot_product_attention(q, k, v, mask=mask)  # weights [..., h, n, m], output [..., h, n, d_v]
    concat = merge_heads(att.output)  # [..., h, n, d_v] -> [..., n, h * d_v]
    output = concat @ p.w_o  # [..., n, h * d_v] @ [h * d_v, d_model] -> [..., n, d_model]
    return MultiHeadResult(output, att.output, att.weights, concat)


def _check_inputs(x_q, x_kv, params: MultiHeadParams, mask):
    """Checked (x_q, x_kv, params, mask); the mask is checked against [..., n, m] before any head axis exists, so an
    error names the shapes the caller knows."""
    x_q = numeric_input(x_q, "x_q", 2, "[n, d_model]")
    x_kv = numeric_input(x_kv, "x_kv", 2, "[m, d_model]")
    if x_q.shape[-1] != x_kv.shape[-1]:
        raise ValueError(f"x_q and x_kv must share d_model: x_q {x_q.shape}, x_kv {x_kv.shape}")
    batch = batch_shape(("x_q", x_q), ("x_kv", x_kv))
    p = _check_params(params, x_q.shape[-1])
    if mask is not None:
        mask = as_mask(mask, batch + (x_q.shape[-2], x_kv.shape[-2]))
    return x_q, x_kv, p, mask


def _check_params(params: MultiHeadParams, d_model: int) -> MultiHeadParams:
    if not isinstance(params, MultiHeadParams):
        raise ValueError(f"params must be a MultiHeadParams, got {type(params).__name__}")
    layouts = ("[h, d_model, d_head]",) * 3 + ("[h * d_head, d_model]",)
    w_q, w_k, w_v, w_o = (
        numeric_input(w, name, 2, layout) for w, name, layout in zip(params, params._fields, layouts, strict=True)
    )
    if w_q.ndim == 3 and w_q.shape[0] < 1:
        raise ValueError(f"params need at least one head, got w_q {w_q.shape}")
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v)):
        if w.ndim != 3 or w.shape[:2] != (w_q.shape[0], d_model):
            raise ValueError(f"{name} must be [h, d_model, d_head] with d_model = {d_model}, got {w.shape}")
    if w_k.shape != w_q.shape:
        raise ValueError(f"w_q and w_k must have the same shape: w_q {w_q.shape}, w_k {w_k.shape}")
    h = w_q.shape[0]
    if w_o.ndim != 2 or w_o.shape[0] != h * w_v.shape[2]:
        raise ValueError(f"w_o must be [h * d_head, d_out] = [{h * w_v.shape[2]}, ...], got {w_o.shape}")
    return MultiHeadParams(w_q, w_k, w_v, w_o)
