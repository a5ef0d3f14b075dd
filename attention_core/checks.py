"""Input checks shared by the public functions: clear ValueErrors instead of NumPy tracebacks or NaN."""

from __future__ import annotations

import numpy as np


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
