"""Boolean masks, True = may attend.

That is the polarity of PyTorch's F.scaled_dot_product_attention `attn_mask`; nn.MultiheadAttention's boolean
`attn_mask` and `key_padding_mask` use the opposite one (True = blocked), so invert a mask ported from there.
"""

from __future__ import annotations

import numpy as np

from .checks import positive_int

__all__ = ["causal_mask", "padding_mask"]


def causal_mask(n: int) -> np.ndarray:
    """[n, n]: position i may attend to positions 0..i (on and below the diagonal)."""
    n = positive_int(n, "n", minimum=0)
    return np.tril(np.ones((n, n), dtype=bool))


def padding_mask(valid) -> np.ndarray:
    """valid [..., m] (True for real tokens) -> [..., 1, m], which broadcasts over the query rows."""
    arr = np.asarray(valid)
    if arr.dtype != bool:
        raise ValueError(f"valid must be boolean (True for real tokens), got dtype {arr.dtype} with shape {arr.shape}")
    if arr.ndim < 1:
        raise ValueError(f"valid must have at least one dimension [..., m], got shape {arr.shape}")
    return arr[..., None, :]
