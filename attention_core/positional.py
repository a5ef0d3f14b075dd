"""Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5)."""

from __future__ import annotations

import numpy as np

from .checks import positive_int

__all__ = ["sinusoidal_positional_encoding"]


def sinusoidal_positional_encoding(n: int, d: int) -> np.ndarray:
    """[n, d]: PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d))."""
    n = positive_int(n, "n", minimum=0)
    d = positive_int(d, "d")
    pos = np.arange(n)[:, None]  # [n, 1]
    two_i = np.arange(d) // 2 * 2  # [d]: 0, 0, 2, 2, 4, 4, ...
    angle = pos / np.power(10000.0, two_i / d)  # [n, 1] / [d] -> [n, d]
    return np.where(np.arange(d) % 2 == 0, np.sin(angle), np.cos(angle))
