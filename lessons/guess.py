"""Guess first: the pure part of predict-then-reveal. A learner names the key they expect a query to weigh most;
these functions say whether that was right, hide a row until then, and keep the count. No UI here."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Tally", "hide_row", "is_right", "top_keys"]

TIE = 1e-9  # weights this close to the largest count as a tie: either word is a right guess


class Tally(NamedTuple):
    right: int = 0
    total: int = 0

    def add(self, was_right: bool) -> Tally:
        return Tally(self.right + int(was_right), self.total + 1)


def top_keys(row: np.ndarray, tol: float = TIE) -> list[int]:
    """Indices of the largest weight(s) of one query row [m] (several when tied)."""
    w = np.asarray(row, dtype=float)  # [m]
    if w.size == 0 or not np.isfinite(w).any():
        return []
    best = np.nanmax(w)
    return [int(j) for j in np.flatnonzero(w >= best - tol)]


def is_right(row: np.ndarray, guess: int, tol: float = TIE) -> bool:
    """Did the guess name a key with the row's largest weight? A tie for first place counts as right."""
    return guess in top_keys(row, tol)


def hide_row(weights: np.ndarray, row: int) -> np.ndarray:
    """A copy of weights [..., n, m] with query `row` set to NaN in every leading slice (e.g. every head), so a chart
    draws it as empty cells and no number of it reaches the screen."""
    hidden = np.array(weights, dtype=float)  # [..., n, m]
    hidden[..., row, :] = np.nan
    return hidden
