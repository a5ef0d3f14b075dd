"""Words to vectors: a tokenizer and a tiny hand-made lexicon whose 16 dimensions have names a learner can read.

Real models learn their embeddings; here each dimension means something ("animate", "fruit", ...), so that with
identity projections a dot product is plain feature overlap and the attention pattern can be explained word by word.
Words outside the lexicon get a deterministic pseudo-random vector derived from SHAKE-256 of the lower-cased word:
the same on every machine and run (Python's built-in `hash` is salted per process, so it is not used).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from attention_core.positional import sinusoidal_positional_encoding

__all__ = [
    "MAX_TOKENS", "FEATURE_NAMES", "D_MODEL", "PRESETS", "SENSE_CONTEXTS",
    "tokenize", "Prepared", "prepare", "in_lexicon", "word_vector", "embed", "suggested_query", "apply_edits",
]

MAX_TOKENS = 40

FEATURE_NAMES: tuple[str, ...] = (
    "noun", "verb", "adjective", "pronoun", "determiner", "linker",  # grammar: what role the word plays
    "animate", "person", "object", "place", "time",  # what kind of thing it is or points at
    "fruit", "company", "work", "state", "punctuation",  # topics that separate the preset sentences
)
D_MODEL = len(FEATURE_NAMES)
_F = {name: i for i, name in enumerate(FEATURE_NAMES)}

# Each entry lists only its non-zero features. The values are chosen so that, with identity projections, the
# blog's examples behave: "it" overlaps most with "cat"/"animal" (both animate), "ready" with "report" (work),
# "requested" and "who" with "client" (person), "Apple" half fruit, half company.
_LEXICON_SPEC: dict[str, dict[str, float]] = {
    # determiners and linkers: small vectors, so they spread their attention thinly
    "the": {"determiner": 1.0},
    "a": {"determiner": 1.0},
    "an": {"determiner": 1.0},
    "this": {"determiner": 1.0, "pronoun": 0.3},
    "that": {"linker": 1.0, "determiner": 0.4, "work": 0.4},
    "on": {"linker": 1.0, "place": 0.6},
    "in": {"linker": 1.0, "place": 0.6},
    "at": {"linker": 1.0, "place": 0.6},
    "to": {"linker": 1.0},
    "of": {"linker": 1.0},
    "and": {"linker": 1.0},
    "because": {"linker": 1.2, "state": 0.3},
    "too": {"adjective": 0.4, "state": 0.8},
    "is": {"verb": 0.8, "state": 0.8},
    "was": {"verb": 0.8, "state": 0.8, "time": 0.3},
    "are": {"verb": 0.8, "state": 0.8},
    "were": {"verb": 0.8, "state": 0.8, "time": 0.3},
    "didn't": {"verb": 1.0, "time": 0.3, "animate": 0.5},
    "not": {"linker": 0.6, "state": 0.4},
    # pronouns: they look for the nouns they could stand for
    "it": {"pronoun": 1.0, "animate": 1.6, "object": 0.6},
    "who": {"pronoun": 1.0, "linker": 0.5, "person": 2.0, "animate": 0.6},
    "he": {"pronoun": 1.0, "person": 2.0, "animate": 0.6},
    "she": {"pronoun": 1.0, "person": 2.0, "animate": 0.6},
    "they": {"pronoun": 1.0, "person": 1.2, "animate": 1.0},
    "i": {"pronoun": 1.0, "person": 2.0, "animate": 0.6},
    "you": {"pronoun": 1.0, "person": 2.0, "animate": 0.6},
    "we": {"pronoun": 1.0, "person": 2.0, "animate": 0.6},
    # nouns
    "cat": {"noun": 1.0, "animate": 3.0},
    "dog": {"noun": 1.0, "animate": 3.0},
    "animal": {"noun": 1.0, "animate": 3.0},
    "mat": {"noun": 1.0, "object": 2.0, "place": 0.8},
    "street": {"noun": 1.0, "place": 2.5, "object": 0.5},
    "road": {"noun": 1.0, "place": 2.5, "object": 0.5},
    "report": {"noun": 1.0, "object": 1.0, "work": 3.5},
    "client": {"noun": 1.0, "person": 3.0, "animate": 1.0, "work": 0.6},
    "apple": {"noun": 0.6, "fruit": 1.4, "company": 1.4},
    "stock": {"noun": 1.0, "company": 2.5, "work": 0.5},
    "phone": {"noun": 1.0, "object": 1.5, "company": 1.5},
    "pie": {"noun": 1.0, "object": 0.8, "fruit": 2.0},
    "tree": {"noun": 1.0, "place": 0.8, "fruit": 2.0},
    "shares": {"noun": 1.0, "company": 2.5},
    # verbs: who or what they need around them shows up as features
    "sat": {"verb": 1.0, "animate": 1.0, "place": 1.0, "time": 0.3},
    "cross": {"verb": 1.0, "animate": 1.0, "place": 1.5},
    "called": {"verb": 1.0, "person": 1.5, "time": 0.5},
    "requested": {"verb": 1.0, "person": 1.8, "work": 1.2, "time": 0.3},
    "crashed": {"verb": 1.0, "company": 1.8, "state": 0.6, "time": 0.3},
    "ate": {"verb": 1.0, "animate": 1.0, "fruit": 1.6, "time": 0.3},
    "released": {"verb": 1.0, "company": 1.8, "object": 0.6, "time": 0.3},
    "picked": {"verb": 1.0, "person": 1.0, "fruit": 1.5, "time": 0.3},
    "rose": {"verb": 1.0, "company": 1.5, "time": 0.3},
    # adjectives and states
    "tired": {"adjective": 1.0, "state": 1.0, "animate": 1.4},
    "ready": {"adjective": 0.8, "state": 0.8, "work": 2.0},
    "juicy": {"adjective": 1.0, "fruit": 2.5},
    "ripe": {"adjective": 1.0, "fruit": 2.5, "state": 0.6},
    "red": {"adjective": 1.0, "object": 0.4, "fruit": 0.8},
    "new": {"adjective": 1.0, "object": 0.5, "company": 0.5},
    # time
    "yesterday": {"time": 2.5, "noun": 0.3},
    "today": {"time": 2.5, "noun": 0.3},
    "tomorrow": {"time": 2.5, "noun": 0.3},
    # punctuation
    ".": {"punctuation": 1.0},
    ",": {"punctuation": 1.0, "linker": 0.3},
    "!": {"punctuation": 1.0, "state": 0.3},
    "?": {"punctuation": 1.0, "pronoun": 0.3},
}


# One knob for the whole table: dot products grow with its square, and 1.5 makes the patterns above stand out at
# temperature 1 with sqrt(d) scaling, while still leaving every word some attention for its neighbours.
_STRENGTH = 1.5


def _vector(spec: dict[str, float]) -> np.ndarray:
    v = np.zeros(D_MODEL)  # [D_MODEL]
    for name, value in spec.items():
        v[_F[name]] = _STRENGTH * value
    v.setflags(write=False)
    return v


_LEXICON: dict[str, np.ndarray] = {word: _vector(spec) for word, spec in _LEXICON_SPEC.items()}

PRESETS: dict[str, str] = {
    "Report and client (nested clauses)": "The report that the client who called yesterday requested is ready.",
    "Cat on the mat: what is 'it'?": "The cat sat on the mat because it was tired",
    "Animal and street: what is 'it'?": "The animal didn't cross the street because it was too tired",
    "Apple, the fruit": "Apple was juicy",
    "Apple, the company": "Apple stock crashed today",
}


# ---- tokenizer -------------------------------------------------------------------------------------------------

_JOINERS = {"\u200d", "\u200c"}  # zero-width (non-)joiner: part of the grapheme around it
_APOSTROPHES = {"'", "\u2019"}


def _is_word_char(ch: str) -> bool:
    # letters, digits, combining marks (Tamil vowel signs are marks, not letters) and connector punctuation
    return unicodedata.category(ch)[0] in "LNM" or ch == "_"


def _extends_previous(ch: str) -> bool:
    # marks, joiners, variation selectors and emoji skin tones belong to the character before them
    cat = unicodedata.category(ch)
    return cat[0] == "M" or ch in _JOINERS or cat == "Sk" and 0x1F3FB <= ord(ch) <= 0x1F3FF or 0xFE00 <= ord(ch) <= 0xFE0F


def tokenize(text: str) -> list[str]:
    """Words (with inner apostrophes, e.g. "didn't") and single punctuation/symbol characters; case kept."""
    text = unicodedata.normalize("NFC", str(text))
    tokens: list[str] = []
    word: list[str] = []  # the word being read, if any
    after_joiner = False  # the last symbol ended in a zero-width joiner, so the next symbol glues on
    for i, ch in enumerate(text):
        if word and (_is_word_char(ch) or _extends_previous(ch)):
            word.append(ch)
            continue
        if word and ch in _APOSTROPHES and i + 1 < len(text) and _is_word_char(text[i + 1]):
            word.append(ch)  # didn't, it's: one token
            continue
        if word:
            tokens.append("".join(word))
            word = []
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") and ch not in _JOINERS:
            after_joiner = False
            continue  # spaces and invisible control characters separate tokens and are dropped
        if _is_word_char(ch):
            word = [ch]
        elif tokens and (_extends_previous(ch) or after_joiner) and not _is_word_char(tokens[-1][-1]):
            tokens[-1] += ch  # emoji sequences (👍🏽, 👩‍💻) stay one token
        else:
            tokens.append(ch)
        after_joiner = ch in _JOINERS
    if word:
        tokens.append("".join(word))
    return tokens


class Prepared(NamedTuple):
    tokens: list[str]  # at most MAX_TOKENS
    truncated: bool  # True when the text had more tokens than MAX_TOKENS
    n_original: int  # how many tokens the whole text had


def prepare(text: str) -> Prepared:
    """Tokenize and keep the first MAX_TOKENS tokens, saying whether anything was cut."""
    tokens = tokenize(text)
    return Prepared(tokens[:MAX_TOKENS], len(tokens) > MAX_TOKENS, len(tokens))


# ---- vectors ---------------------------------------------------------------------------------------------------


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", str(word)).casefold().replace("\u2019", "'")


def in_lexicon(word: str) -> bool:
    """True when `word` (any case) has a hand-made entry in the lexicon."""
    return _key(word) in _LEXICON


def _hashed_vector(key: str) -> np.ndarray:
    # 2 bytes of SHAKE-256 per dimension -> uniform in [-1, 1]; independent of NumPy's RNG and of the process.
    raw = hashlib.shake_256(key.encode("utf-8", "surrogatepass")).digest(2 * D_MODEL)
    ints = np.frombuffer(raw, dtype=">u2").astype(np.float64)  # [D_MODEL] in 0..65535
    v = ints / 65535.0 * 2.0 - 1.0  # [D_MODEL] in [-1, 1]
    if not any(_is_word_char(c) for c in key):
        v = 0.3 * v + _LEXICON["."]  # unknown punctuation or emoji: mostly "punctuation", a little noise
    return v


def word_vector(word: str) -> np.ndarray:
    """[D_MODEL]: the lexicon entry (case-insensitive), or a deterministic vector for an unknown word."""
    key = _key(word)
    entry = _LEXICON.get(key)
    return entry.copy() if entry is not None else _hashed_vector(key)


def embed(tokens: list[str], positions: bool = False) -> np.ndarray:
    """[n] tokens -> [n, D_MODEL]; with positions=True the sinusoidal position of each token is added."""
    x = np.array([word_vector(t) for t in tokens], dtype=np.float64).reshape(len(tokens), D_MODEL)  # [n, D_MODEL]
    if positions:
        x = x + sinusoidal_positional_encoding(len(tokens), D_MODEL)  # [n, D_MODEL] + [n, D_MODEL]
    return x


# Sentences that use one word in two senses; the Apple pair comes from the blog, the rest extend it.
SENSE_CONTEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Apple": {
        "fruit": ("Apple was juicy", "I ate a ripe apple", "She picked a red apple"),
        "company": ("Apple stock crashed today", "Apple released a new phone", "Apple shares rose today"),
    },
}

# Words a learner most likely wants to inspect first: pronouns ask the most interesting question.
_FIRST_LOOK = ("it", "who", "they", "she", "he", "apple", "ready", "requested")


def suggested_query(tokens: list[str]) -> int:
    """Index of a good first word to inspect: a pronoun or an example word, else the first noun, else 0."""
    keys = [_key(t) for t in tokens]
    for word in _FIRST_LOOK:
        if word in keys:
            return keys.index(word)
    noun = _F["noun"]
    return next((i for i, k in enumerate(keys) if k in _LEXICON and _LEXICON[k][noun] >= _STRENGTH), 0)


def apply_edits(x, edits: Sequence[tuple[int, str, float]], limit: float = 20.0) -> tuple[np.ndarray, list[int]]:
    """Apply (row, feature name, value) edits to x [n, D_MODEL]; return (new x, indices of the rejected edits).

    An edit is rejected, and its cell keeps the old value, when its value is NaN or infinite, lies outside
    [-limit, limit], or it names a row or feature that does not exist. x itself is left alone.
    """
    new = np.array(x, dtype=np.float64, copy=True)  # [n, D_MODEL]
    rejected: list[int] = []
    for k, (row, feature, value) in enumerate(edits):
        if np.isfinite(value) and abs(value) <= limit and 0 <= row < new.shape[0] and feature in _F:
            new[row, _F[feature]] = value
        else:
            rejected.append(k)
    return new, rejected
