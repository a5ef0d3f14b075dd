"""Memory-saving attention: the keys are read in blocks and softmax is computed online (running max, running sum).

The plain version keeps scores, logits and weights, three [n, m] matrices, at once. Here no [n, m] array ever
exists: for each block of keys we keep only a [n, block] slice, and carry per query row
    running_max  the largest logit seen so far,
    running_sum  sum of exp(logit - running_max) over the keys seen so far,
    out          the softmax-weighted mean of v over the keys seen so far.
When a new block comes, the old sum is rescaled by exp(old_max - new_max) and `out` is re-weighted by the share of
the new total the old keys keep, so at the end `out` is exactly softmax(logits) @ v up to rounding. Keeping `out`
normalised (rather than an unnormalised sum divided at the end) means it never exceeds the largest |v|, so values
near the float limit cannot overflow, just as in the plain version. This is the trick behind FlashAttention
(Dao et al. 2022, after Milakov & Gimelshein 2018); on a GPU the blocks also stay in fast on-chip memory.
"""

from __future__ import annotations

import numpy as np

from .checks import as_mask, check_qkv, clip_overflow, matmul_may_overflow, positive_int

__all__ = ["DEFAULT_BLOCK", "chunked_attention"]

DEFAULT_BLOCK = 128


def _block_logits(q: np.ndarray, k_blk: np.ndarray, factor, clip: bool, mask_blk) -> np.ndarray:
    # the same operations, in the same order, as scaled_dot_product_attention, on one block of b keys
    with np.errstate(over="ignore", invalid="ignore"):
        scores = clip_overflow(q @ np.swapaxes(k_blk, -1, -2), clip)  # [..., n, d_k] @ [..., d_k, b] -> [..., n, b]
        logits = clip_overflow(scores * factor, clip)  # [..., n, b]
    if mask_blk is not None:
        logits = np.where(mask_blk, logits, -np.inf).astype(logits.dtype, copy=False)
    return logits


def _online_update(state, logits: np.ndarray, v_blk: np.ndarray):
    """Fold one block into (running_max [..., n, 1], running_sum [..., n, 1], out [..., n, d_v])."""
    run_max, run_sum, out = state
    new_max = np.maximum(run_max, logits.max(axis=-1, keepdims=True))  # [..., n, 1]
    # A row with every key masked so far has max -inf; shift it by 0 so exp(-inf - 0) = 0 and no NaN appears.
    shift = np.where(np.isfinite(new_max), new_max, 0.0).astype(logits.dtype, copy=False)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        p = np.exp(logits - shift)  # [..., n, b], each entry in [0, 1]
        # Old contributions were measured against run_max; rescale them to the new max (0 if nothing seen yet).
        rescale = np.where(np.isfinite(run_max), np.exp(run_max - shift), 0.0).astype(logits.dtype, copy=False)
    old = run_sum * rescale  # [..., n, 1]: the old keys' total against the new max
    new_sum = old + p.sum(axis=-1, keepdims=True)  # [..., n, 1]; 0 only while every key so far is masked
    safe = np.where(new_sum > 0, new_sum, 1.0).astype(logits.dtype, copy=False)
    out = out * (old / safe) + (p / safe) @ v_blk  # [..., n, b] @ [..., b, d_v] -> [..., n, d_v]
    return new_max, new_sum, out


def chunked_attention(q, k, v, mask=None, block: int = DEFAULT_BLOCK, scale=None, temperature: float = 1.0) -> np.ndarray:
    """softmax(q @ k^T * scale / temperature, masked) @ v, reading `block` keys at a time; returns only the output.

    q [..., n, d_k], k [..., m, d_k], v [..., m, d_v]; mask bool broadcastable to [..., n, m], True = may attend.
    Equals scaled_dot_product_attention(...).output (a fully masked row gives zeros) without an [n, m] matrix.
    """
    q, k, v, factor, batch = check_qkv(q, k, v, scale, temperature)
    block = positive_int(block, "block")
    dtype = q.dtype

    n, m, d_v = q.shape[-2], k.shape[-2], v.shape[-1]
    # broadcast_to is a read-only view: the full [..., n, m] mask is checked but never copied
    full_mask = None if mask is None else as_mask(mask, (*batch, n, m))
    clip = matmul_may_overflow(q, k, factor)
    state = (
        np.full((*batch, n, 1), -np.inf, dtype),  # running max
        np.zeros((*batch, n, 1), dtype),  # running sum
        np.zeros((*batch, n, d_v), dtype),  # out
    )
    for start in range(0, m, block):
        stop = min(start + block, m)
        mask_blk = None if full_mask is None else full_mask[..., start:stop]
        logits = _block_logits(q, k[..., start:stop, :], factor, clip, mask_blk)  # [..., n, b]
        state = _online_update(state, logits, v[..., start:stop, :])
    return state[2]  # [..., n, d_v]; a fully masked row never received weight and stays 0
