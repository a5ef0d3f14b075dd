"""What each page shows when it opens, in one place.

A page seeds its controls from these (unless a shared link says otherwise), and everything that speaks of "the page
as it opens" reads the same values: the Lesson's steps that redraw a page's figure, the quiz, the views that compare
a trained model with the hand-built heads. Change a default here and all of them follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from .embeddings import PRESETS

__all__ = [
    "BOTTLENECK", "MULTI_HEAD", "SELF_ATTENTION", "SPEED", "SEED_MAX",
    "BottleneckDefaults", "MultiHeadDefaults", "SelfAttentionDefaults", "SpeedDefaults",
]


SEED_MAX = 9999  # the largest seed a page's seed box offers, and the largest a shared link may carry


@dataclass(frozen=True)
class SelfAttentionDefaults:
    sentence: str = PRESETS["Report and client (nested clauses)"]  # its "ready" looks back across a relative clause
    scaled: bool = True  # divide the scores by sqrt(d_k)
    temperature: float = 1.0
    causal: bool = False
    n_pad: int = 0  # padding tokens appended to the sentence
    projection: str = "identity"  # Q = K = V = X: the hand-set vectors as they are
    seed: int = 0  # of the random projections
    positions: bool = False  # sinusoidal positions added to the word vectors
    sqrt_d: int = 64  # the width d of the "Why divide by sqrt(d)?" tab


@dataclass(frozen=True)
class MultiHeadDefaults:
    sentence: str = PRESETS["Cat on the mat: what is 'it'?"]  # "it" has a referent, a verb and an adjective to follow
    n_heads: int = 8
    d_model: int = 64  # 16 feature columns and 48 position columns; d_head = 8
    hand_built: bool = True  # the first heads built by hand, the rest random
    positions: bool = True  # position columns in the input (the previous-word head needs them)
    seed: int = 0  # of the random heads


@dataclass(frozen=True)
class SpeedDefaults:
    n_max: int = 512  # the longest sequence measured
    d: int = 64  # the width of each token's vector
    workers: int = 1024  # P, multiply-adds per tick


@dataclass(frozen=True)
class BottleneckDefaults:
    length: int = 20  # Tamil tokens of the held-out sentence
    rho: float = 0.9  # spectral radius of the random RNN: below 1, so its memory fades


SELF_ATTENTION = SelfAttentionDefaults()
MULTI_HEAD = MultiHeadDefaults()
SPEED = SpeedDefaults()
BOTTLENECK = BottleneckDefaults()
