"""Input checks and numeric guards shared by the kernel: clear ValueErrors instead of NumPy tracebacks or NaN.

Every public function of the kernel starts with one call into this module, so the formula that follows can assume
finite floating arrays of matching shapes. The models and lessons use the same checks for their own inputs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "CheckedAdditive",
    "CheckedQKV",
    "as_float_array",
    "as_mask",
    "batch_shape",
    "check_additive",
    "check_axis",
    "check_qkv",
    "check_self_attention",
    "clip_overflow",
    "finite_number",
    "matmul_may_overflow",
    "numeric_input",
    "positive_int",
    "require_finite",
    "require_ndim",
]


# ---------------------------------------------------------------------------------------------------------------
# Single values and single arrays


def as_float_array(x, name: str) -> np.ndarray:
    """Return `x` as a floating array: float dtypes kept, integers -> float64; anything else is a ValueError."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype} with shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.integer):
        arr = arr.astype(np.float64)
    return arr


def require_finite(arr: np.ndarray, name: str) -> None:
    if not np.isfinite(arr).all():
        kind = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {kind} (shape {arr.shape}); attention needs finite inputs")


def require_ndim(arr: np.ndarray, name: str, at_least: int, layout: str) -> None:
    if arr.ndim < at_least:
        raise ValueError(f"{name} must have at least {at_least} dimensions {layout}, got shape {arr.shape}")


def numeric_input(x, name: str, at_least: int = 0, layout: str = "") -> np.ndarray:
    """as_float_array + require_ndim + require_finite, the usual trio."""
    arr = as_float_array(x, name)
    if at_least:
        require_ndim(arr, name, at_least, layout)
    require_finite(arr, name)
    return arr


def finite_number(value, name: str) -> float:
    """A plain real scalar (Python or NumPy number, not bool), finite; anything else is a ValueError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_axis(x, axis) -> tuple[np.ndarray, int]:
    """softmax's input: a floating array of at least one dimension without NaN (+-inf allowed), and a valid axis."""
    arr = as_float_array(x, "softmax input")
    if np.isnan(arr).any():
        raise ValueError(f"softmax input contains NaN (shape {arr.shape})")
    if arr.ndim == 0:
        raise ValueError("softmax needs at least one dimension, got a scalar")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got {axis!r} for input of shape {arr.shape}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis {axis} is out of range for input of shape {arr.shape}")
    return arr, int(axis)


# ---------------------------------------------------------------------------------------------------------------
# Several arrays together


def batch_shape(*named: tuple[str, np.ndarray], core: int = 2) -> tuple[int, ...]:
    """Broadcast the leading (batch) dimensions of several arrays, each ending in `core` own dimensions."""
    try:
        return np.broadcast_shapes(*(a.shape[: a.ndim - core] for _, a in named))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in named)
        raise ValueError(f"leading (batch) dimensions do not broadcast: {shapes}") from None


def as_mask(mask, target_shape: tuple[int, ...]) -> np.ndarray:
    """A boolean mask broadcast to `target_shape` ([..., n, m]); True = may attend."""
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise ValueError(f"mask must be boolean (True = may attend), got dtype {arr.dtype} with shape {arr.shape}")
    try:
        return np.broadcast_to(arr, target_shape)
    except ValueError:
        raise ValueError(f"mask of shape {arr.shape} does not broadcast to the scores' shape {target_shape}") from None


class CheckedQKV(NamedTuple):
    q: np.ndarray  # [..., n, d_k], in the common floating dtype
    k: np.ndarray  # [..., m, d_k]
    v: np.ndarray  # [..., m, d_v]
    factor: np.floating  # scale / temperature, a scalar of that dtype, checked to fit it
    batch: tuple[int, ...]  # the broadcast leading dimensions


def check_qkv(q, k, v, scale=None, temperature=1.0) -> CheckedQKV:
    """The checks scaled_dot_product_attention and chunked_attention share; scale None means 1/sqrt(d_k)."""
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
    q, k, v = (a.astype(dtype, copy=False) for a in (q, k, v))
    return CheckedQKV(q, k, v, dtype.type(factor), batch)


class CheckedAdditive(NamedTuple):
    query: np.ndarray  # [..., n, d_q]
    keys: np.ndarray  # [..., m, d_k]
    values: np.ndarray  # [..., m, d_v], in the result dtype
    w_q: np.ndarray  # [d_q, d_a]
    w_k: np.ndarray  # [d_k, d_a]
    v_a: np.ndarray  # [d_a]
    dtype: np.dtype  # the common floating dtype of all six


def check_additive(query, keys, values, w_q, w_k, v_a) -> CheckedAdditive:
    """additive_attention's arguments: finite floating arrays whose shapes fit together."""
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
    return CheckedAdditive(query, keys, values.astype(dtype, copy=False), w_q, w_k, v_a, dtype)


def check_self_attention(x, w_q, w_k, w_v) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """self_attention's arguments: x [n, d_model] and three [d_model, d] projections, w_q and w_k of equal d."""
    x = numeric_input(x, "x", 2, "[n, d_model]")
    ws = {name: numeric_input(w, name, 2, "[d_model, d]") for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v))}
    for name, w in ws.items():
        if w.ndim != 2 or w.shape[0] != x.shape[-1]:
            raise ValueError(f"{name} must be [d_model, d] with d_model = {x.shape[-1]}: x {x.shape}, {name} {w.shape}")
    if ws["w_q"].shape[1] != ws["w_k"].shape[1]:
        raise ValueError(f"w_q and w_k must project to the same d_k: w_q {ws['w_q'].shape}, w_k {ws['w_k'].shape}")
    return x, ws["w_q"], ws["w_k"], ws["w_v"]


# ---------------------------------------------------------------------------------------------------------------
# Overflow guards: finite inputs can still overflow inside a product


def matmul_may_overflow(a: np.ndarray, b: np.ndarray, factor: float = 1.0) -> bool:
    """Can (a @ b^T) * factor overflow?  a [..., n, d], b [..., m, d].

    |(a @ b^T) * factor| <= d * max|a| * max|b| * |factor|; checking the small inputs is far cheaper than the output.
    """
    bound = a.shape[-1] * float(np.abs(a).max(initial=0.0)) * float(np.abs(b).max(initial=0.0)) * max(abs(factor), 1.0)
    return not bound < float(np.finfo(np.result_type(a, b)).max)


def clip_overflow(x: np.ndarray, active: bool = True) -> np.ndarray:
    """An overflowed score is "as large as the dtype allows", not a mask: +-inf -> +-max finite, NaN (inf - inf) -> 0,
    in place, so rows still sum to 1. With active False, x is returned untouched (the usual, cheap case)."""
    return np.nan_to_num(x, copy=False) if active else x
