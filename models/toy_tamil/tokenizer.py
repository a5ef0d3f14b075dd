"""Typed input: a Tamil sentence as a visitor types it, split into the toy language's tokens, with the reason it
cannot be translated when it cannot (empty, too long, unknown words).
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from .lexicon import in_vocabulary
from .sampler import MAX_SOURCE_LEN

__all__ = ["Tokenized", "tokenize"]


class Tokenized(NamedTuple):
    tokens: tuple[str, ...]
    unknown: tuple[str, ...]  # tokens not in the lexicon, in order of appearance, each once
    max_len: int  # MAX_SOURCE_LEN, for the message
    problem: str | None  # None when the sentence can be translated; else a sentence saying why not

    @property
    def ok(self) -> bool:
        return self.problem is None


_STRIP = "?!.,;:\"'()[]{}“”‘’"


def tokenize(text: str) -> Tokenized:
    """Split a typed Tamil sentence into tokens (whitespace; punctuation around words dropped; Unicode NFC)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    norm = unicodedata.normalize("NFC", text)
    tokens = tuple(t for t in (w.strip(_STRIP) for w in norm.split()) if t)
    unknown = tuple(dict.fromkeys(t for t in tokens if not in_vocabulary(t)))
    problem = None
    if not tokens:
        problem = "The sentence is empty; type a few Tamil words separated by spaces."
    elif len(tokens) > MAX_SOURCE_LEN:
        problem = f"The sentence has {len(tokens)} tokens; the models take at most {MAX_SOURCE_LEN}."
    elif unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        problem = f"{len(unknown)} word(s) are not in the toy language's vocabulary: {shown}"
    return Tokenized(tokens, unknown, MAX_SOURCE_LEN, problem)
