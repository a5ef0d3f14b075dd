"""Principal component analysis down to two dimensions, with NumPy's SVD: enough to draw vectors on a page."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from attention_core.checks import numeric_input

__all__ = ["PCA2D", "pca_2d"]


class PCA2D(NamedTuple):
    coords: np.ndarray  # [n, 2]   the points in the plane of the two main directions
    components: np.ndarray  # [2, d]   unit directions (rows); a zero row when the data has fewer directions
    mean: np.ndarray  # [d]
    explained: np.ndarray  # [2]   share of the total variance along each direction (0 when there is none)


def pca_2d(points) -> PCA2D:
    """Project points [n, d] onto their two directions of largest variance.

    Signs are fixed (each direction's largest loading is positive) so the same data always draws the same way.
    """
    x = numeric_input(points, "points", 2, "[n, d]")
    if x.ndim != 2:
        raise ValueError(f"points must be 2-D [n, d], got shape {x.shape}")
    n, d = x.shape
    mean = x.mean(axis=0) if n else np.zeros(d, dtype=x.dtype)  # [d]
    centred = x - mean  # [n, d]
    components = np.zeros((2, d), dtype=x.dtype)  # [2, d]
    explained = np.zeros(2, dtype=x.dtype)  # [2]
    if n and d:
        _, s, vt = np.linalg.svd(centred, full_matrices=False)  # s [r], vt [r, d] with r = min(n, d)
        k = min(2, len(s))
        keep = s[:k] > s[0] * 1e-12 if s[0] > 0 else np.zeros(k, dtype=bool)  # drop directions with no spread
        top = vt[:k] * keep[:, None]  # [k, d]
        flip = np.sign(top[np.arange(k), np.argmax(np.abs(top), axis=1)])  # [k]
        components[:k] = top * np.where(flip == 0, 1.0, flip)[:, None]
        total = float(np.sum(s**2))
        if total > 0:
            explained[:k] = s[:k] ** 2 / total * keep
    return PCA2D(centred @ components.T, components, mean, explained)  # [n, d] @ [d, 2] -> [n, 2]
