"""Hand-set word vectors: a tokenizer and a tiny lexicon whose 16 dimensions have names a learner can read.

A model whose weights are set by hand, not trained: real models learn their embeddings; here each dimension means
something ("animate", "fruit", ...), so that with identity projections a dot product is plain feature overlap and the
attention pattern can be explained word by word. The Self-attention and Multi-head pages start from these vectors;
`python -m models.coreference evaluate` measures them against the trained Transformer.
Words outside the lexicon get a deterministic pseudo-random vector derived from SHAKE-256 of the lower-cased word:
the same on every machine and run (Python's built-in `hash` is salted per process, so it is not used).
"""

from __future__ import annotations

import hashlib
import unicodedata

import numpy as np

from attention_core.positional import sinusoidal_positional_encoding

__all__ = ["FEATURE_NAMES", "D_MODEL", "tokenize", "lexicon_key", "in_lexicon", "lexicon_words", "has_feature",
           "word_vector", "embed"]

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


# ---- vectors ---------------------------------------------------------------------------------------------------


def lexicon_key(word: str) -> str:
    """The form a word is looked up by: NFC, case-folded, typographic apostrophe made plain."""
    return unicodedata.normalize("NFC", str(word)).casefold().replace("\u2019", "'")


def lexicon_words() -> tuple[str, ...]:
    """Every word with a hand-made entry, sorted (what a learner may type to get a readable vector)."""
    return tuple(sorted(_LEXICON))


def in_lexicon(word: str) -> bool:
    """True when `word` (any case) has a hand-made entry in the lexicon."""
    return lexicon_key(word) in _LEXICON


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
    key = lexicon_key(word)
    entry = _LEXICON.get(key)
    return entry.copy() if entry is not None else _hashed_vector(key)


def embed(tokens: list[str], positions: bool = False) -> np.ndarray:
    """[n] tokens -> [n, D_MODEL]; with positions=True the sinusoidal position of each token is added."""
    x = np.array([word_vector(t) for t in tokens], dtype=np.float64).reshape(len(tokens), D_MODEL)  # [n, D_MODEL]
    if positions:
        x = x + sinusoidal_positional_encoding(len(tokens), D_MODEL)  # [n, D_MODEL] + [n, D_MODEL]
    return x


def has_feature(word: str, feature: str) -> bool:
    """True when `word` (any case) is in the lexicon with `feature` at full strength (e.g. a noun)."""
    entry = _LEXICON.get(lexicon_key(word))
    return entry is not None and bool(entry[_F[feature]] >= _STRENGTH)
