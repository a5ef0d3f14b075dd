"""The "Who is it?" corpus: sentences generated from a small grammar, where naming what "it" stands for is the only
way to be right.

A sentence is a SKELETON (the order of its clauses and their voice) filled with nouns, a cue and modifiers:

    frame    cross   an animal didn't cross a place        tired, slow, weak, lazy, small, tiny, hungry -> the animal
                                                           wide, busy, icy, steep -> the place
             fit     an animal or a thing didn't fit in    big, large, wide -> what did not fit
                     a container                           small, tiny, full -> the container
             chase   one animal chased / attacked /        hungry, angry, playful -> the chaser
                     followed another                      scared, nervous, frightened, weak, slow -> the chased one
    voice    active  "the dog didn't cross the road"       passive "the road wasn't crossed by the dog"
             (fit's other voice puts the container first: "the box couldn't hold the ball")
    reason   adjective "it was (too) ADJ"; or object: "it" as the object of a verb whose meaning picks the kind
             ("the lion scared it" -> the animal; "snow covered it" -> the place; "the cat slept in it" -> the
             container)
    order    after "MAIN because REASON"; before "because REASON MAIN"
    extra    none, or a whole clause with its own nouns before or after ("the cow followed the horse and ...")

Within a skeleton, each sentence may get an attributive adjective ("the old dog"), a distractor noun ("the dog
near the box") and a conjunction for its extra clause (none, "and", "but"). The same adjective names different
roles in different frames (small: the animal that did not cross, but the container), so no adjective -> slot rule
works. Lengths run from 8 to 30 tokens.

Held out of training: whole skeletons (HELDOUT_STRUCTURES, new combinations of trained parts), some adjective x
frame pairings (a measured limit: an adjective never seen in a frame cannot be learned for it), and the noun pairs
of the blog's sentence and of the trophy sentence (so BLOG_PAIR and TROPHY_PAIR are never training sentences).
OUTSIDE structures (two extra clauses, a distractor on both nouns, a doubled adjective) are generated only for an
outside check: the grammar the model trains on does not produce them. The dropout rate (and whether to add twins)
was chosen on three validation_folds() of six trained skeletons each, every candidate trained without the fold it
was scored on; the other settings earlier, on one validation set. Test scores shaped that procedure
(docs/PERFORMANCE.md says how).
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = [
    "ADJECTIVES", "ADJECTIVE_FRAME_HELDOUT", "BLOG_PAIR", "Corpus", "FRAMES", "HELDOUT_STRUCTURES", "MAX_TOKENS",
    "MENUS", "NOUNS", "Sentence", "Skeleton", "SKELETONS", "TROPHY_PAIR", "VALIDATION_STRUCTURES", "VERBS", "VOCAB",
    "build_sentence", "every_pair_trained", "validation_folds", "validation_sets",
    "kind_of", "make_corpus", "make_sentence", "minimal_pairs_of", "nouns_in", "structure_of", "token_ids", "tokenize",
    "twins_of", "vocabulary",
]

MAX_TOKENS = 30  # the longest sentence the model reads (it learns positions from its training sentences)

ANIMALS = ("animal", "dog", "cat", "horse", "fox", "rabbit", "cow", "bird", "mouse", "lion")
PLACES = ("street", "road", "river", "bridge", "field", "track")
THINGS = ("trophy", "suitcase", "ball", "box", "bag", "book", "bottle", "basket", "drawer", "jar")
NOUNS: dict[str, tuple[str, ...]] = {"animals": ANIMALS, "places": PLACES, "things": THINGS}
VERBS = ("chased", "attacked", "followed")  # same form in the active and the passive ("was chased by")
ATTRIBUTES = ("old", "brown", "white", "black")  # attributive adjectives that name no role
PREPOSITIONS = ("near", "with")  # a distractor noun hangs on a candidate: "the dog near the box"
CONJUNCTIONS = ("and", "but", "")  # "" joins the extra clause with nothing (the full stop is not a token)


class Frame(NamedTuple):
    kinds: tuple[tuple[str, ...], tuple[str, ...]]  # the kinds each candidate may be: first role, second role
    adjectives: tuple[tuple[str, ...], tuple[str, ...]]  # adjectives naming the first role, the second role
    objects: tuple[tuple[str, ...], tuple[str, ...]]  # object-reason verbs naming the first role, the second role
    distractors: tuple[str, ...]  # kinds a distractor noun may be (never a kind that could be the referent)
    too: bool  # "it was too ADJ" (cross, fit) or "it was ADJ" (chase)


FRAMES: dict[str, Frame] = {
    "cross": Frame((("animals",), ("places",)),
                   (("tired", "slow", "weak", "lazy", "small", "tiny", "hungry"), ("wide", "busy", "icy", "steep")),
                   (("scared",), ("covered",)), ("things",), True),
    "fit": Frame((("animals", "things"), ("things",)), (("big", "large", "wide"), ("small", "tiny", "full")),
                 ((), ("slept",)), ("places",), True),
    "chase": Frame((("animals",), ("animals",)),
                   (("hungry", "angry", "playful"), ("scared", "nervous", "frightened", "weak", "slow")),
                   ((), ()), ("things", "places"), False),
}
ADJECTIVES: dict[str, tuple[str, ...]] = {f: fr.adjectives[0] + fr.adjectives[1] for f, fr in FRAMES.items()}

# adjective x frame pairings never trained: the adjective is seen, but in other frames only
ADJECTIVE_FRAME_HELDOUT = frozenset({("chase", "slow"), ("cross", "weak"), ("cross", "hungry")})

BLOG_PAIR = (
    "The animal didn't cross the street because it was too tired",
    "The animal didn't cross the street because it was too wide",
)
TROPHY_PAIR = (
    "The trophy didn't fit in the suitcase because it was too big",
    "The trophy didn't fit in the suitcase because it was too small",
)
NEVER_TOGETHER = frozenset({frozenset(("animal", "street")), frozenset(("trophy", "suitcase"))})


class Skeleton(NamedTuple):
    frame: str  # a key of FRAMES
    voice: str  # "active" or "passive" (for fit: the container first, "the box couldn't hold the ball")
    reason: str  # "adjective" or "object"
    order: str  # "after": MAIN because REASON; "before": because REASON MAIN
    extra: str  # "none", "before" or "after": a clause with its own nouns

    @property
    def name(self) -> str:
        extra = "" if self.extra == "none" else f", extra clause {self.extra}"
        return f"{self.frame}, {self.voice}, {self.reason} reason, because-clause {self.order}{extra}"


def _skeletons() -> tuple[Skeleton, ...]:
    out = []
    for frame, fr in FRAMES.items():
        reasons = ("adjective", "object") if any(fr.objects) else ("adjective",)
        for voice, reason, order in itertools.product(("active", "passive"), reasons, ("after", "before")):
            # an extra clause before a leading because-clause would make "it" ambiguous even to a reader
            for extra in ("none", "before", "after") if order == "after" else ("none", "after"):
                out.append(Skeleton(frame, voice, reason, order, extra))
    return tuple(out)


SKELETONS: tuple[Skeleton, ...] = _skeletons()

# whole sentence structures never trained on; every PAIR of their parts (frame and voice, voice and clause order,
# extra clause and reason, ...) is trained, in other structures, so each held-out one is a new combination
HELDOUT_STRUCTURES: frozenset[Skeleton] = frozenset({
    Skeleton("cross", "passive", "adjective", "after", "after"),
    Skeleton("cross", "passive", "adjective", "before", "none"),
    Skeleton("cross", "active", "adjective", "after", "before"),
    Skeleton("fit", "active", "object", "before", "none"),
    Skeleton("fit", "passive", "object", "after", "before"),
    Skeleton("fit", "passive", "object", "after", "none"),
    Skeleton("chase", "passive", "adjective", "after", "before"),
    Skeleton("chase", "active", "adjective", "before", "after"),
})


TEST_REASON = {"cross": "adjective", "fit": "object", "chase": "adjective"}  # the held-out structures' reason, per frame


def _pairs_of_parts(sk: Skeleton) -> set[tuple]:
    return {(i, j, sk[i], sk[j]) for i, j in itertools.combinations(range(len(sk)), 2)}


def every_pair_trained(kept_out: set[Skeleton]) -> bool:
    """Is every pair of parts of every kept-out structure in some structure that is not kept out?"""
    trained = set().union(*(_pairs_of_parts(sk) for sk in SKELETONS if sk not in kept_out))
    return all(_pairs_of_parts(sk) <= trained for sk in kept_out)


def validation_sets() -> list[tuple[Skeleton, ...]]:
    """Every set of six structures built like the test's, to choose training settings on: two per frame with the
    test's reason in that frame (cross and chase: an adjective; fit: an object), the nearest counts to the test's
    shares of extra clauses, passives and leading because-clauses (4, 4 and 2 of 6, against 5, 5 and 3 of 8), and
    every pair of parts of every structure kept out (these and the test's) trained by the rest. 193 sets."""
    per_frame = [[sk for sk in SKELETONS if sk.frame == f and sk.reason == r and sk not in HELDOUT_STRUCTURES]
                 for f, r in TEST_REASON.items()]
    out = []
    for a, b, c in itertools.product(*(itertools.combinations(p, 2) for p in per_frame)):
        chosen = a + b + c
        counts = (sum(s.extra != "none" for s in chosen), sum(s.voice == "passive" for s in chosen),
                  sum(s.order == "before" for s in chosen))
        if counts == (4, 4, 2) and every_pair_trained(HELDOUT_STRUCTURES | set(chosen)):
            out.append(chosen)
    return out


# the first validation fold: of validation_sets(), the one a seeded draw picked (np.random.default_rng(0)). The six
# used before it (two per frame; for cross and fit, other reasons than the test's) chose a training (dropout, seed 3)
# that then did worse on the test than the model shipped then: benchmarks/results/coreference_unshipped.json.
VALIDATION_STRUCTURES: tuple[Skeleton, ...] = (
    Skeleton("cross", "passive", "adjective", "after", "none"),
    Skeleton("cross", "passive", "adjective", "before", "after"),
    Skeleton("fit", "active", "object", "after", "after"),
    Skeleton("fit", "passive", "object", "before", "after"),
    Skeleton("chase", "active", "adjective", "after", "none"),
    Skeleton("chase", "passive", "adjective", "after", "after"),
)


@functools.cache
def validation_folds() -> tuple[tuple[Skeleton, ...], ...]:
    """The three folds the training settings were chosen on (benchmarks/coreference_folds.py): VALIDATION_STRUCTURES,
    then two of the sets sharing no structure with it, the least-overlapping pair (a seeded draw among ties). Each
    candidate trained once per fold and seed without that fold's structures. The shipped model, trained after the choice,
    has them all: only the test's structures stay out of its training."""
    apart = [s for s in validation_sets() if not set(s) & set(VALIDATION_STRUCTURES)]  # 11 sets; no two disjoint
    overlap = {(i, j): len(set(apart[i]) & set(apart[j])) for i, j in itertools.combinations(range(len(apart)), 2)}
    least = [p for p, n in overlap.items() if n == min(overlap.values())]  # 7 pairs share two structures
    i, j = least[int(np.random.default_rng(0).integers(len(least)))]
    return VALIDATION_STRUCTURES, apart[i], apart[j]


class Sentence(NamedTuple):
    tokens: tuple[str, ...]
    structure: str  # Skeleton.name, or an outside structure's name
    frame: str
    voice: str
    first: str  # the candidate in the first role (the crosser, what did not fit, the chaser)
    second: str  # the other candidate
    adjective: str  # the cue: the predicate adjective, or the verb of an object reason
    referent: str  # the noun "it" stands for: first or second
    verb: str  # "cross", "fit" or one of VERBS
    ref_index: int  # position of the referent: the pointer's target
    other_index: int  # position of the other candidate

    @property
    def other(self) -> str:
        """The candidate "it" does not stand for."""
        return self.second if self.referent == self.first else self.first

    @property
    def it_index(self) -> int:
        return self.tokens.index("it")

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def kind_of(word: str) -> str | None:
    """"animals", "places", "things", or None for a word that is not a noun."""
    return next((k for k, group in NOUNS.items() if word in group), None)


def nouns_in(tokens: Sequence[str]) -> list[int]:
    """Positions of the nouns of a sentence."""
    return [i for i, t in enumerate(tokens) if kind_of(t)]


class _Choices(NamedTuple):
    """Everything a skeleton leaves open; _render turns it into words."""
    first: str
    second: str
    cue: str
    verb: str  # chase verb ("" for the others)
    attr: tuple[str, str]  # attributive adjective of first, second ("" for none)
    distractor: tuple[str, str]  # "near the box" on first, second ("" for none)
    agent: str  # the object reason's subject noun ("" for "snow")
    extra: tuple[str, ...]  # the extra clause's words (without its conjunction), () for none
    conj: str
    extra2: tuple[str, ...] = ()  # outside structures only: a second extra clause, before the sentence
    doubled: str = ""  # outside structures only: "too tired and slow"


def _np(noun: str, attr: str, distractor: str) -> list[str]:
    return ["the", *([attr] if attr else []), noun, *(distractor.split() if distractor else [])]


def _render(sk: Skeleton, c: _Choices) -> tuple[list[str], int, int]:
    """(tokens, position of first, position of second)."""
    n1, n2 = _np(c.first, c.attr[0], c.distractor[0]), _np(c.second, c.attr[1], c.distractor[1])
    if sk.frame == "cross":
        main, lead = ((n1 + ["didn't", "cross"] + n2, 1) if sk.voice == "active" else
                      (n2 + ["wasn't", "crossed", "by"] + n1, 2))
    elif sk.frame == "fit":
        main, lead = ((n1 + ["didn't", "fit", "in"] + n2, 1) if sk.voice == "active" else
                      (n2 + ["couldn't", "hold"] + n1, 2))
    else:
        main, lead = ((n1 + [c.verb] + n2, 1) if sk.voice == "active" else (n2 + ["was", c.verb, "by"] + n1, 2))
    if sk.reason == "adjective":
        adj = [c.cue] + (["and", c.doubled] if c.doubled else [])
        reason = ["it", "was"] + (["too"] if FRAMES[sk.frame].too else []) + adj
    elif c.cue == "covered":
        reason = ["snow", "covered", "it"]
    elif c.cue == "slept":
        reason = ["the", c.agent, "slept", "in", "it"]
    else:
        reason = ["the", c.agent, c.cue, "it"]
    body = main + ["because"] + reason if sk.order == "after" else ["because"] + reason + main
    glue = [c.conj] if c.conj else []
    head = list(c.extra2) + (["and"] if c.extra2 else [])
    if sk.extra == "before":
        words = head + list(c.extra) + glue + body
    elif sk.extra == "after":
        words = head + body + glue + list(c.extra)
    else:
        words = head + body
    # the candidates are the first occurrence of their noun: every noun of a sentence is a different word
    return words, words.index(c.first), words.index(c.second)


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _extra_clause(rng: np.random.Generator, avoid: set[str]) -> tuple[str, ...]:
    """A clause with two nouns of its own (never a word in `avoid`, which it extends); one noun may get an
    attributive adjective."""
    def pick(kind: str) -> str:
        word = _pick(rng, [w for w in NOUNS[kind] if w not in avoid])
        avoid.add(word)
        return word

    kind = int(rng.integers(3))
    if kind == 0:
        words = ["the", pick("animals"), _pick(rng, VERBS), "the", pick("animals")]
    elif kind == 1:
        words = ["the", pick("animals"), "was", "near", "the", pick("places")]
    else:
        words = ["the", pick("things"), "was", "in", "the", pick("things")]
    if rng.random() < 0.3:
        at = 1 if rng.random() < 0.5 else len(words) - 1
        words.insert(at, _pick(rng, ATTRIBUTES))
    return tuple(words)


def _sample(sk: Skeleton, rng: np.random.Generator, cues: Sequence[tuple[str, int]], outside: str = "",
            ) -> Sentence | None:
    """One random sentence of skeleton `sk` with a cue from `cues` ((word, role) pairs); None when the draw hits
    a pair of nouns kept apart."""
    fr = FRAMES[sk.frame]
    cue, role = cues[int(rng.integers(len(cues)))]
    first = _pick(rng, NOUNS[_pick(rng, fr.kinds[0])])
    second = _pick(rng, [w for w in NOUNS[fr.kinds[1][0]] if w != first])
    if frozenset((first, second)) in NEVER_TOGETHER:
        return None
    used = {first, second}

    def fresh(kinds: Sequence[str]) -> str:
        word = _pick(rng, [w for k in kinds for w in NOUNS[k] if w not in used])
        used.add(word)
        return word

    agent = fresh(("animals",)) if sk.reason == "object" and cue != "covered" else ""
    attr, distractor = ["", ""], ["", ""]
    slots = [0, 1] if outside == "two distractors" else ([int(rng.integers(2))] if rng.random() < 0.35 else [])
    for slot in slots:
        distractor[slot] = f"{_pick(rng, PREPOSITIONS)} the {fresh(fr.distractors)}"
    if rng.random() < 0.35:
        attr[int(rng.integers(2))] = _pick(rng, ATTRIBUTES)
    extra = _extra_clause(rng, used) if sk.extra != "none" else ()
    conj = ""
    if sk.extra != "none":
        # after the main clause, a bare extra clause reads as part of it ("the bird the fox was near"): joined always
        conj = _pick(rng, CONJUNCTIONS if sk.extra == "before" else CONJUNCTIONS[:2])
    extra2 = _extra_clause(rng, used) if outside == "two extra clauses" else ()
    doubled = ""
    if outside == "doubled adjective":
        doubled = _pick(rng, [a for a in fr.adjectives[role] if a != cue])
    verb = _pick(rng, VERBS) if sk.frame == "chase" else ""
    choices = _Choices(first, second, cue, verb, tuple(attr), tuple(distractor), agent, extra, conj, extra2, doubled)
    tokens, i1, i2 = _render(sk, choices)
    referent, ref, other = (first, i1, i2) if role == 0 else (second, i2, i1)
    name = sk.name if not outside else f"{sk.name} + {outside}"
    return Sentence(tuple(tokens), name, sk.frame, sk.voice, first, second, cue, referent,
                    verb or sk.frame, ref, other)


def _cues(sk: Skeleton, adjective_frame: str) -> list[tuple[str, int]]:
    """(cue, role) pairs a skeleton may take; adjective_frame: "train" leaves out ADJECTIVE_FRAME_HELDOUT, "heldout"
    keeps only those."""
    fr = FRAMES[sk.frame]
    table = fr.adjectives if sk.reason == "adjective" else fr.objects
    pairs = [(w, role) for role in (0, 1) for w in table[role]]
    held = [(w, r) for w, r in pairs if (sk.frame, w) in ADJECTIVE_FRAME_HELDOUT]
    return held if adjective_frame == "heldout" else [p for p in pairs if p not in held]


def _draw(skeletons: Sequence[Skeleton], per: int | dict[str, int], seed: int, adjective_frame: str = "train", outside: str = "",
          exclude: frozenset[tuple[str, ...]] = frozenset()) -> list[Sentence]:
    """`per` distinct sentences of each skeleton (fewer if its draws keep repeating), in a fixed order."""
    rng = np.random.default_rng(seed)
    out: list[Sentence] = []
    seen = set(exclude)
    for sk in skeletons:
        cues = _cues(sk, adjective_frame)
        if not cues:
            continue
        want = per[sk.frame] if isinstance(per, dict) else per
        got, tries = 0, 0
        while got < want and tries < 20 * want:
            tries += 1
            s = _sample(sk, rng, cues, outside)
            if s is None or s.tokens in seen or len(s.tokens) > MAX_TOKENS:
                continue
            seen.add(s.tokens)
            out.append(s)
            got += 1
    return out


def _pair_sentence(frame: str, first: str, second: str, adjective: str, voice: str = "active",
                   verb: str | None = None) -> Sentence:
    sk = Skeleton(frame, voice, "adjective", "after", "none")
    fr = FRAMES[frame]
    role = 0 if adjective in fr.adjectives[0] else 1
    c = _Choices(first, second, adjective, verb or (VERBS[0] if frame == "chase" else ""), ("", ""), ("", ""), "",
                 (), "")
    tokens, i1, i2 = _render(sk, c)
    referent, ref, other = (first, i1, i2) if role == 0 else (second, i2, i1)
    return Sentence(tuple(tokens), sk.name, frame, voice, first, second, adjective, referent,
                    c.verb or frame, ref, other)


def make_sentence(frame: str, first: str, second: str, adjective: str, voice: str = "active",
                  verb: str | None = None) -> Sentence:
    """The plainest sentence of a frame (no modifiers, because-clause after), with its referent; ValueError for a
    combination the grammar does not allow."""
    if frame not in FRAMES:
        raise ValueError(f"frame must be one of {sorted(FRAMES)}, got {frame!r}")
    fr = FRAMES[frame]
    ok1 = [w for k in fr.kinds[0] for w in NOUNS[k]]
    ok2 = [w for k in fr.kinds[1] for w in NOUNS[k]]
    if first not in ok1 or second not in ok2 or first == second:
        raise ValueError(f"frame {frame!r} takes two different nouns: first from {'/'.join(fr.kinds[0])}, second "
                         f"from {'/'.join(fr.kinds[1])}; got {first!r} and {second!r}")
    if adjective not in ADJECTIVES[frame]:
        raise ValueError(f"frame {frame!r} takes one of the adjectives {ADJECTIVES[frame]}, got {adjective!r}")
    if voice not in ("active", "passive"):
        raise ValueError(f"voice must be 'active' or 'passive', got {voice!r}")
    if frame == "chase" and (verb or VERBS[0]) not in VERBS:
        raise ValueError(f"the chase frame takes one of the verbs {VERBS}, got {verb!r}")
    return _pair_sentence(frame, first, second, adjective, voice, verb if frame == "chase" else None)


def build_sentence(frame: str, first: str, second: str, adjective: str, voice: str = "active",
                   verb: str | None = None) -> str:
    """The sentence text for menu choices, e.g. build_sentence("chase", "dog", "cat", "hungry", "passive")
    -> "the cat was chased by the dog because it was hungry" (first = the chaser, whatever the voice)."""
    return make_sentence(frame, first, second, adjective, voice, verb).text


# ---- the vocabulary and the tokenizer ----------------------------------------------------------------------------

_FUNCTION_WORDS = ("the", "didn't", "cross", "wasn't", "crossed", "by", "fit", "in", "couldn't", "hold", "was",
                   "because", "it", "too", "snow", "covered", "slept", "and", "but", "near", "with")
VOCAB: tuple[str, ...] = tuple(sorted(
    {*_FUNCTION_WORDS, *VERBS, *ATTRIBUTES, *PREPOSITIONS, *(c for c in CONJUNCTIONS if c)}
    | {w for group in NOUNS.values() for w in group}
    | {w for fr in FRAMES.values() for table in (fr.adjectives, fr.objects) for role in table for w in role}))
_INDEX = {w: i for i, w in enumerate(VOCAB)}

MENUS: dict[str, object] = {
    "frames": {"cross": "the FIRST didn't cross the SECOND because it was too ADJECTIVE",
               "fit": "the FIRST didn't fit in the SECOND because it was too ADJECTIVE",
               "chase": "the FIRST VERB the SECOND because it was ADJECTIVE (passive: the SECOND was VERB by the FIRST)"},
    "nouns": {f: {"first": tuple(w for k in fr.kinds[0] for w in NOUNS[k]),
                  "second": tuple(w for k in fr.kinds[1] for w in NOUNS[k])} for f, fr in FRAMES.items()},
    "verbs": {"chase": VERBS},
    "adjectives": {f: {"first": fr.adjectives[0], "second": fr.adjectives[1]} for f, fr in FRAMES.items()},
    "voice": {f: ("active", "passive") for f in FRAMES},
}


def vocabulary() -> tuple[str, ...]:
    """Every word the model knows, sorted."""
    return VOCAB


_DROP = str.maketrans({c: " " for c in ".,;:!?\"()[]"})


def tokenize(sentence: str) -> list[str]:
    """Lower-cased words; punctuation dropped; "didn't" stays one token. ValueError naming the unknown words (or an
    empty or over-long sentence)."""
    text = str(sentence).replace("\u2019", "'").lower().translate(_DROP)
    tokens = [t.strip("'") for t in text.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        raise ValueError("the sentence is empty: type a sentence made of the model's words")
    if len(tokens) > MAX_TOKENS:
        raise ValueError(f"the sentence has {len(tokens)} words; the model reads at most {MAX_TOKENS}")
    unknown = list(dict.fromkeys(t for t in tokens if t not in _INDEX))
    if unknown:
        raise ValueError(f"unknown word{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)} "
                         "(see the vocabulary with `python -m models.coreference vocab`)")
    return tokens


def token_ids(tokens) -> list[int]:
    return [_INDEX[t] for t in tokens]


# ---- recognising a typed sentence's structure -------------------------------------------------------------------


def _alt(words) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def _np_re(kinds: Sequence[str], distractor_kinds: Sequence[str]) -> str:
    nouns = _alt(w for k in kinds for w in NOUNS[k])
    others = _alt(w for k in distractor_kinds for w in NOUNS[k])
    return f"the (?:{_alt(ATTRIBUTES)} )?{nouns}(?: {_alt(PREPOSITIONS)} the {others})?"


def _skeleton_re(sk: Skeleton) -> str:
    fr = FRAMES[sk.frame]
    n1, n2 = _np_re(fr.kinds[0], fr.distractors), _np_re(fr.kinds[1], fr.distractors)
    main = {("cross", "active"): f"{n1} didn't cross {n2}", ("cross", "passive"): f"{n2} wasn't crossed by {n1}",
            ("fit", "active"): f"{n1} didn't fit in {n2}", ("fit", "passive"): f"{n2} couldn't hold {n1}",
            ("chase", "active"): f"{n1} {_alt(VERBS)} {n2}",
            ("chase", "passive"): f"{n2} was {_alt(VERBS)} by {n1}"}[sk.frame, sk.voice]
    if sk.reason == "adjective":
        reason = "it was " + ("too " if fr.too else "") + _alt(ADJECTIVES[sk.frame])
    else:
        animal = _alt(ANIMALS)
        reason = "(?:" + "|".join(
            {"covered": "snow covered it", "slept": f"the {animal} slept in it", "scared": f"the {animal} scared it"}[w]
            for role in fr.objects for w in role) + ")"
    body = f"{main} because {reason}" if sk.order == "after" else f"because {reason} {main}"
    a, p, t = (f"the (?:{_alt(ATTRIBUTES)} )?{_alt(NOUNS[k])}" for k in ("animals", "places", "things"))
    extra = f"(?:{a} {_alt(VERBS)} {a}|{a} was near {p}|{t} was in {t})"
    if sk.extra == "before":
        return f"{extra} (?:(?:and|but) )?{body}"
    if sk.extra == "after":
        return f"{body} (?:and|but) {extra}"
    return body


_SKELETON_RES = tuple((sk, re.compile(_skeleton_re(sk))) for sk in SKELETONS)


def structure_of(tokens: Sequence[str]) -> Skeleton | None:
    """The grammar's skeleton a sentence follows, or None when the grammar cannot produce it (the model was not
    trained on such sentences). Every noun of a grammar sentence is a different word, with at most one distractor."""
    text = " ".join(tokens)
    nouns = [t for t in tokens if kind_of(t)]
    distractors = sum(t in PREPOSITIONS and tokens[i - 1] != "was" for i, t in enumerate(tokens))
    if len(set(nouns)) != len(nouns) or distractors > 1:
        return None
    return next((sk for sk, rx in _SKELETON_RES if rx.fullmatch(text)), None)


# ---- the corpus --------------------------------------------------------------------------------------------------

TRAIN_PER_SKELETON = 900
TWINS = False  # the shipped training set: with twins_of its sentences or not (benchmarks/coreference_selection.py)
HELDOUT_PER_SKELETON = 150
OUTSIDE = ("two extra clauses", "two distractors", "doubled adjective")


class Corpus(NamedTuple):
    train: list[Sentence]
    held_out: list[Sentence]  # trained structures, fresh sentences (an ordinary held-out set)
    structure_heldout: list[Sentence]  # HELDOUT_STRUCTURES: structures never trained
    minimal_pairs: list[tuple[Sentence, Sentence]]  # in held-out structures; only the adjective differs
    adjective_frame_heldout: list[Sentence]  # ADJECTIVE_FRAME_HELDOUT: a measured limit
    showcase: list[Sentence]  # BLOG_PAIR and TROPHY_PAIR: never trained
    outside: list[Sentence]  # structures the grammar does not produce
    validation: list[Sentence]  # the structures make_corpus(validation=...) kept out: none in the shipped corpus
    validation_pairs: list[tuple[Sentence, Sentence]]  # minimal pairs built from them as from the test structures


def _flips(s: Sentence, role: int) -> list[str]:
    """The cues of `role` in s's frame that could replace its own: trained in the frame, not already in s."""
    return [a for a in FRAMES[s.frame].adjectives[role] if (s.frame, a) not in ADJECTIVE_FRAME_HELDOUT
            and a not in s.tokens]


def _swap_cue(s: Sentence, flip: str) -> Sentence:
    """s with its cue (the adjective after "it") replaced by `flip`, which names the other candidate."""
    cue = s.tokens.index(s.adjective, s.it_index)
    tokens = s.tokens[:cue] + (flip,) + s.tokens[cue + 1:]
    return s._replace(tokens=tokens, adjective=flip, referent=s.second if s.referent == s.first else s.first,
                      ref_index=s.other_index, other_index=s.ref_index)


def minimal_pairs_of(sentences: Sequence[Sentence]) -> list[tuple[Sentence, Sentence]]:
    """Each adjective-reason sentence whose cue names the first role, with the cue swapped for one naming the
    second role in the same frame (all else equal)."""
    pairs = []
    for s in sentences:
        if s.adjective not in FRAMES[s.frame].adjectives[0] or s.referent != s.first or "it was" not in s.text:
            continue
        if flips := _flips(s, 1):
            pairs.append((s, _swap_cue(s, flips[len(pairs) % len(flips)])))
    return pairs


def twins_of(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Each adjective-reason sentence with its cue swapped for one naming the other role in the same frame (all else
    equal): the same words, the other answer. Trained beside the originals, no word around the cue tells the
    answer by itself."""
    out = []
    for s in sentences:
        fr = FRAMES[s.frame]
        role = 0 if s.adjective in fr.adjectives[0] else 1 if s.adjective in fr.adjectives[1] else None
        if role is None or "it was" not in s.text:
            continue
        if flips := _flips(s, 1 - role):
            out.append(_swap_cue(s, flips[len(out) % len(flips)]))
    return out


def _showcase() -> list[Sentence]:
    out = []
    for text in (*BLOG_PAIR, *TROPHY_PAIR):
        words = tokenize(text)
        frame = "cross" if "cross" in words else "fit"
        out.append(make_sentence(frame, words[1], words[5 if frame == "cross" else 6], words[-1]))
    return out


# lru_cache alone lets callers that arrive together each build the corpus (about a second of pure Python each): a
# class opening the Learning page at once on a fresh server timed out, 40 of 40. The first builds, the rest wait.
_building = threading.Lock()


def make_corpus(twins: bool = TWINS, validation: tuple[Skeleton, ...] = ()) -> Corpus:
    """Every set, in a fixed order (seeded): the same corpus on every machine. Built once per process. twins: the
    training set also holds twins_of(its sentences), after them; validation: structures kept out of training to
    choose settings on (a fold of validation_folds(); 150 sentences of each become validation sentences, the rest
    are not used; the test sets stay the same). The default is the shipped training set: every structure but the test's."""
    with _building:
        return _make_corpus(twins, tuple(validation))


@functools.lru_cache(maxsize=4)
def _make_corpus(twins: bool, validation_structures: tuple[Skeleton, ...]) -> Corpus:
    validation_names = frozenset(sk.name for sk in validation_structures)
    trained = [sk for sk in SKELETONS if sk not in HELDOUT_STRUCTURES]
    held_sk = [sk for sk in SKELETONS if sk in HELDOUT_STRUCTURES]
    showcase = _showcase()
    never = frozenset(s.tokens for s in showcase)
    drawn = _draw(trained, TRAIN_PER_SKELETON, seed=1, exclude=never)
    avoid = never | frozenset(s.tokens for s in drawn)
    train = [s for s in drawn if s.structure not in validation_names]
    validation = [s for sk in validation_structures
                  for s in [s for s in drawn if s.structure == sk.name][:HELDOUT_PER_SKELETON]]
    held = [s for s in _draw(trained, HELDOUT_PER_SKELETON // 3, seed=2, exclude=avoid)
            if s.structure not in validation_names]
    structure = _draw(held_sk, HELDOUT_PER_SKELETON, seed=3, exclude=avoid)
    pairs = [p for p in minimal_pairs_of(structure) if p[1].tokens not in avoid]
    adj_frame = _draw([sk for sk in SKELETONS if sk.reason == "adjective"], 20, seed=4, adjective_frame="heldout",
                      exclude=avoid)
    outside = []
    for i, kind in enumerate(OUTSIDE):
        skeletons = [sk for sk in SKELETONS if {"doubled adjective": sk.reason == "adjective",
                                                "two extra clauses": sk.extra != "none" and sk.order == "after",
                                                "two distractors": True}[kind]]
        outside += _draw(skeletons, 6, seed=10 + i, outside=kind, exclude=avoid)
    if twins:  # never a sentence of another set: the test sets are drawn as without twins
        shown = {s.tokens for s in (*held, *structure, *adj_frame, *showcase, *outside, *validation, *drawn)}
        shown |= {t.tokens for pair in pairs for t in pair}
        fresh = {t.tokens: t for t in twins_of(train) if t.tokens not in shown}  # two originals may share a twin
        train = train + list(fresh.values())
    return Corpus(train, held, structure, pairs, adj_frame, showcase, outside, validation,
                  minimal_pairs_of(validation))
