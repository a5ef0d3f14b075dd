"""Words to vectors for the Self-attention and Multi-head lessons: the preset sentences, a length limit, a first
word worth inspecting and safe edits of the vectors.

The tokenizer and the hand-set lexicon themselves are a model whose weights are set by hand: `models.lexicon`,
re-exported here so that lessons and pages find everything about words in one module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from models.lexicon import (
    D_MODEL,
    FEATURE_NAMES,
    embed,
    has_feature,
    in_lexicon,
    lexicon_key,
    lexicon_words,
    tokenize,
    word_vector,
)

__all__ = [
    "MAX_TOKENS", "FEATURE_NAMES", "D_MODEL", "PRESETS", "SENSE_CONTEXTS",
    "tokenize", "Prepared", "prepare", "in_lexicon", "lexicon_words", "word_vector", "embed", "suggested_query", "apply_edits",
]

MAX_TOKENS = 40

PRESETS: dict[str, str] = {
    "Report and client (nested clauses)": "The report that the client who called yesterday requested is ready.",
    "Cat on the mat: what is 'it'?": "The cat sat on the mat because it was tired",
    "Animal and street: what is 'it'?": "The animal didn't cross the street because it was too tired",
    "Apple, the fruit": "Apple was juicy",
    "Apple, the company": "Apple stock crashed today",
}


class Prepared(NamedTuple):
    tokens: list[str]  # at most MAX_TOKENS
    truncated: bool  # True when the text had more tokens than MAX_TOKENS
    n_original: int  # how many tokens the whole text had


def prepare(text: str) -> Prepared:
    """Tokenize and keep the first MAX_TOKENS tokens, saying whether anything was cut."""
    tokens = tokenize(text)
    return Prepared(tokens[:MAX_TOKENS], len(tokens) > MAX_TOKENS, len(tokens))


# Sentences that use one word in two senses; the Apple pair comes from the blog, the rest extend it.
SENSE_CONTEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Apple": {
        "fruit": ("Apple was juicy", "I ate a ripe apple", "She picked a red apple"),
        "company": ("Apple stock crashed today", "Apple released a new phone", "Apple shares rose today"),
    },
}

# Words a learner most likely wants to inspect first: pronouns ask the most interesting question.
_FIRST_LOOK = ("it", "ready", "who", "they", "she", "he", "apple", "requested")  # "ready": the report sentence's link


def suggested_query(tokens: list[str]) -> int:
    """Index of a good first word to inspect: a pronoun or an example word, else the first noun, else 0."""
    keys = [lexicon_key(t) for t in tokens]
    for word in _FIRST_LOOK:
        if word in keys:
            return keys.index(word)
    return next((i for i, t in enumerate(tokens) if has_feature(t, "noun")), 0)


def apply_edits(x, edits: Sequence[tuple[int, str, float]], limit: float = 20.0) -> tuple[np.ndarray, list[int]]:
    """Apply (row, feature name, value) edits to x [n, D_MODEL]; return (new x, indices of the rejected edits).

    An edit is rejected, and its cell keeps the old value, when its value is NaN or infinite, lies outside
    [-limit, limit], or it names a row or feature that does not exist. x itself is left alone.
    """
    new = np.array(x, dtype=np.float64, copy=True)  # [n, D_MODEL]
    rejected: list[int] = []
    for k, (row, feature, value) in enumerate(edits):
        if np.isfinite(value) and abs(value) <= limit and 0 <= row < new.shape[0] and feature in FEATURE_NAMES:
            new[row, FEATURE_NAMES.index(feature)] = value
        else:
            rejected.append(k)
    return new, rejected
