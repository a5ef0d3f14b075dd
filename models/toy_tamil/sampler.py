"""Sampling the toy language: random grammatical sentences of a given length, the held-out set (distinct sentences
per length bucket, read from the shipped file when it holds this very set) and the training corpus, disjoint from it.
Deterministic for a seed.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from .files import HELD_OUT_FILE, read_held_out
from .grammar import BLOG_SLOTS, BLOG_SOURCE, MAX_CLAUSES, NONE, SLOT_ORDER, Sentence, build, slot_options
from .lexicon import CONNECTORS, QUESTION_CONNECTORS

__all__ = [
    "MIN_SOURCE_LEN", "MAX_SOURCE_LEN", "LENGTH_BUCKETS", "DEFAULT_SEED", "N_TEST_PER_BUCKET", "Corpus", "sample_sentence", "sample_held_out",
    "held_out_set", "make_corpus", "bucket_of",
]

MIN_SOURCE_LEN = 2  # "அனுப்ப முடியுமா" (can you send); the held-out buckets start at 3
MAX_SOURCE_LEN = 50  # the models were trained on sentences up to this many tokens; longer input is refused
LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((3, 9), (10, 19), (20, 29), (30, 39), (40, 50))
DEFAULT_SEED = 2014  # Bahdanau, Cho and Bengio's year
N_TEST_PER_BUCKET = 400


class Corpus(NamedTuple):
    train: list[Sentence]
    test: list[Sentence]  # disjoint from train by source sentence



# (middle of the length range below, chance of 1..4 clauses, range of the chance that an optional slot is filled)
_SHAPES = (
    (8, (0.85, 0.15, 0, 0), (0.1, 0.5)),
    (16, (0.35, 0.5, 0.15, 0), (0.3, 0.9)),
    (26, (0, 0.4, 0.5, 0.1), (0.4, 0.9)),
    (36, (0, 0.1, 0.5, 0.4), (0.5, 0.95)),
    (99, (0, 0, 0.3, 0.7), (0.6, 1.0)),
)


def _sample_clause(rng: np.random.Generator, p: float, question: bool) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name in SLOT_ORDER:
        options = slot_options(name, chosen)
        keys = [o.key for o in options]
        if name == "kind":
            keys = [k for k in keys if (k in ("can", "should")) == question]
        if NONE in keys and len(keys) > 1:
            # optional slot: fill it with probability p
            chosen[name] = NONE if rng.random() >= p else keys[1 + rng.integers(len(keys) - 1)]
        else:
            chosen[name] = keys[rng.integers(len(keys))]
    return chosen


def sample_sentence(rng: np.random.Generator, length: tuple[int, int] | None = None) -> Sentence:
    """A random grammatical sentence; with `length` = (lo, hi) its source length lies in lo..hi."""
    lo, hi = length or (MIN_SOURCE_LEN, MAX_SOURCE_LEN)
    if lo > hi or hi < MIN_SOURCE_LEN or lo > MAX_SOURCE_LEN:
        raise ValueError(f"no sentence has a length in {lo}..{hi}; lengths are {MIN_SOURCE_LEN}..{MAX_SOURCE_LEN}")
    mid = (lo + hi) / 2
    # more clauses and fuller clauses for longer targets, so rejection rarely loops long
    clause_p, fill = next((cp, f) for top, cp, f in _SHAPES if mid < top)
    while True:
        n = int(rng.choice(MAX_CLAUSES, p=clause_p))
        p = float(rng.uniform(*fill))
        question = rng.random() < 0.5
        clauses = [_sample_clause(rng, p, question and i == n) for i in range(n + 1)]
        conns = [str(rng.choice(QUESTION_CONNECTORS if question and i == n else tuple(CONNECTORS)))
                 for i in range(1, n + 1)]  # fmt: skip
        s = build(clauses, conns)
        if lo <= len(s.source) <= hi:
            return s

def held_out_set(seed: int = DEFAULT_SEED, per_bucket: int = N_TEST_PER_BUCKET) -> list[Sentence]:
    """The held-out sentences: `per_bucket` distinct sentences for each of LENGTH_BUCKETS. Never trained on.

    The default set is read from HELD_OUT_FILE (a few ms) instead of sampled (about 1.4 s of held interpreter
    lock on a page's first visit); the file is written by `python -m models.toy_tamil` and
    tests/models/test_toy_tamil.py checks it equals what the sampler draws."""
    return list(_held_out_set(int(seed), int(per_bucket)))


@functools.cache
def _held_out_set(seed: int, per_bucket: int) -> tuple[Sentence, ...]:
    # cached as an immutable tuple: evaluation, tests and pages all ask for the same set
    if (seed, per_bucket) == (DEFAULT_SEED, N_TEST_PER_BUCKET) and HELD_OUT_FILE.exists():
        stored = read_held_out(HELD_OUT_FILE, seed, per_bucket)
        if stored is not None:
            return stored
    return sample_held_out(seed, per_bucket)


def sample_held_out(seed: int, per_bucket: int) -> tuple[Sentence, ...]:
    """Draw the held-out set: distinct sentences per length bucket, the blog's sentence left out."""
    rng = np.random.default_rng([seed, 1])
    out: list[Sentence] = []
    seen: set[tuple[str, ...]] = set()
    for bucket in LENGTH_BUCKETS:
        count = 0
        while count < per_bucket:
            s = sample_sentence(rng, bucket)
            if s.source not in seen and s.source != BLOG_SOURCE:  # the blog's sentence is a training sentence
                seen.add(s.source)
                out.append(s)
                count += 1
    return tuple(out)


def make_corpus(seed: int = DEFAULT_SEED, n_train: int = 60_000, per_bucket: int = N_TEST_PER_BUCKET) -> Corpus:
    """Training sentences (lengths spread evenly over the buckets; the blog's sentence first) and the held-out
    test set, disjoint by sentence."""
    test = held_out_set(seed, per_bucket)
    held_out = {s.source for s in test}
    rng = np.random.default_rng([seed, 2])
    ranges = [(MIN_SOURCE_LEN, LENGTH_BUCKETS[0][1]), *LENGTH_BUCKETS[1:]]
    train: list[Sentence] = [build(BLOG_SLOTS)]
    while len(train) < n_train:
        s = sample_sentence(rng, ranges[len(train) % len(ranges)])
        if s.source not in held_out:
            train.append(s)
    return Corpus(train, test)


def bucket_of(length: int) -> str | None:
    """The label ("3-7") of the length bucket holding `length`, or None."""
    for lo, hi in LENGTH_BUCKETS:
        if lo <= length <= hi:
            return f"{lo}-{hi}"
    return None

