"""The "Who is it?" corpus: template sentences with the pronoun "it" and two candidate nouns.

Three frames, each with a role the adjective picks:

    cross   the {first} didn't cross the {second} because it was too {adjective}   animal vs. place (the blog)
    fit     the {first} didn't fit in the {second} because it was too {adjective}  Winograd's trophy and suitcase
    chase   the {first} chased the {second} because it was {adjective}             two animals: only the role decides
            the {second} was chased by the {first} because it was {adjective}      (passive: the roles swap places)

In "cross" the kind of the adjective (tired: an animal; wide: a place) tells which noun; in "fit" and "chase" both
nouns are of the same kind, so only the sentence's structure (which noun is the subject, the agent, the container)
and the adjective decide. Noun pairs in HELD_OUT_PAIRS never appear together in training, in either order; the
held-out minimal pairs are held-out sentences that differ in the adjective alone, with the referent flipping.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

__all__ = [
    "ADJECTIVES", "BLOG_PAIR", "Corpus", "FRAMES", "HELD_OUT_PAIRS", "MENUS", "MAX_TOKENS", "NOUNS", "Sentence",
    "TROPHY_PAIR", "VERBS", "VOCAB", "all_sentences", "build_sentence", "make_corpus", "make_sentence", "token_ids",
    "tokenize", "vocabulary",
]

MAX_TOKENS = 40  # longer input is refused: the model never saw more than 12 tokens, and a page must stay fast

ANIMALS = ("animal", "dog", "cat", "horse", "fox", "rabbit", "cow", "bird", "mouse", "lion")
PLACES = ("street", "road", "river", "bridge", "field", "track")
THINGS = ("trophy", "suitcase", "ball", "box", "bag", "book", "bottle", "basket", "drawer", "jar")
NOUNS: dict[str, tuple[str, ...]] = {"animals": ANIMALS, "places": PLACES, "things": THINGS}

VERBS = ("chased", "attacked", "followed")  # same form in the active and the passive ("was chased by")

# frame -> (the kinds of its first and second noun, adjectives that name the first noun, ... the second noun).
# "First" is the subject of the active sentence (the one crossing, the thing that does not fit, the chaser).
FRAMES: dict[str, tuple[tuple[str, str], tuple[str, ...], tuple[str, ...]]] = {
    "cross": (("animals", "places"), ("tired", "slow", "weak", "lazy"), ("wide", "busy", "icy", "steep")),
    "fit": (("things", "things"), ("big", "large"), ("small", "tiny")),
    "chase": (("animals", "animals"), ("hungry", "angry", "playful"), ("scared", "nervous", "frightened")),
}
ADJECTIVES: dict[str, tuple[str, ...]] = {f: first + second for f, (_, first, second) in FRAMES.items()}

BLOG_PAIR = (
    "The animal didn't cross the street because it was too tired",
    "The animal didn't cross the street because it was too wide",
)
TROPHY_PAIR = (
    "The trophy didn't fit in the suitcase because it was too big",
    "The trophy didn't fit in the suitcase because it was too small",
)

# Noun pairs kept out of training in both orders (cross pairs are ordered by kind anyway). The blog's and
# Winograd's own pairs stay in training: they are the sentences every learner types first.
HELD_OUT_PAIRS: dict[str, frozenset[frozenset[str]]] = {
    "cross": frozenset(frozenset(p) for p in [("dog", "river"), ("cat", "bridge"), ("horse", "road"), ("fox", "field"),
                                              ("rabbit", "street"), ("cow", "track"), ("lion", "bridge"),
                                              ("mouse", "road"), ("bird", "field"), ("animal", "river")]),
    "fit": frozenset(frozenset(p) for p in [("ball", "bag"), ("book", "box"), ("bottle", "jar"), ("trophy", "basket"),
                                            ("suitcase", "drawer"), ("ball", "jar"), ("book", "basket"),
                                            ("bag", "drawer"), ("box", "bottle")]),
    "chase": frozenset(frozenset(p) for p in [("dog", "cat"), ("horse", "cow"), ("fox", "rabbit"), ("bird", "mouse"),
                                              ("lion", "animal"), ("dog", "fox"), ("cat", "mouse"),
                                              ("rabbit", "horse"), ("cow", "lion")]),
}


class Sentence(NamedTuple):
    tokens: tuple[str, ...]
    frame: str  # a key of FRAMES
    voice: str  # "active" or "passive" (only "chase" has a passive)
    first: str  # the subject of the active sentence (agent, crosser, thing that does not fit)
    second: str  # the other candidate
    adjective: str
    referent: str  # the noun "it" stands for: first or second
    verb: str  # "cross", "fit" or one of VERBS

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


def _words(frame: str, first: str, second: str, adjective: str, voice: str, verb: str) -> list[str]:
    tail = ["because", "it", "was"]
    if frame == "cross":
        return ["the", first, "didn't", "cross", "the", second, *tail, "too", adjective]
    if frame == "fit":
        return ["the", first, "didn't", "fit", "in", "the", second, *tail, "too", adjective]
    if voice == "passive":
        return ["the", second, "was", verb, "by", "the", first, *tail, adjective]
    return ["the", first, verb, "the", second, *tail, adjective]


def make_sentence(frame: str, first: str, second: str, adjective: str, voice: str = "active",
                  verb: str | None = None) -> Sentence:
    """One sentence of the corpus, with its referent; ValueError for a combination the frames do not allow."""
    if frame not in FRAMES:
        raise ValueError(f"frame must be one of {sorted(FRAMES)}, got {frame!r}")
    (kind1, kind2), adj_first, adj_second = FRAMES[frame]
    if first not in NOUNS[kind1] or second not in NOUNS[kind2] or first == second:
        raise ValueError(f"frame {frame!r} takes two different nouns: first from {kind1}, second from {kind2}; "
                         f"got {first!r} and {second!r}")
    if adjective not in adj_first + adj_second:
        raise ValueError(f"frame {frame!r} takes one of the adjectives {adj_first + adj_second}, got {adjective!r}")
    if voice not in ("active", "passive") or (voice == "passive" and frame != "chase"):
        raise ValueError(f"voice must be 'active' (or 'passive' for the chase frame), got {voice!r}")
    if frame == "chase":
        verb = verb or VERBS[0]
        if verb not in VERBS:
            raise ValueError(f"the chase frame takes one of the verbs {VERBS}, got {verb!r}")
    else:
        verb = frame
    referent = first if adjective in adj_first else second
    tokens = tuple(_words(frame, first, second, adjective, voice, verb))
    return Sentence(tokens, frame, voice, first, second, adjective, referent, verb)


def build_sentence(frame: str, first: str, second: str, adjective: str, voice: str = "active",
                   verb: str | None = None) -> str:
    """The sentence text for menu choices, e.g. build_sentence("chase", "dog", "cat", "hungry", "passive")
    -> "the cat was chased by the dog because it was hungry" (first = the chaser, whatever the voice)."""
    return make_sentence(frame, first, second, adjective, voice, verb).text


def all_sentences() -> list[Sentence]:
    """Every sentence the templates allow, in a fixed order."""
    out = []
    for frame, ((kind1, kind2), adj_first, adj_second) in FRAMES.items():
        verbs = VERBS if frame == "chase" else (None,)
        voices = ("active", "passive") if frame == "chase" else ("active",)
        for first, second in itertools.product(NOUNS[kind1], NOUNS[kind2]):
            if first == second:
                continue
            for verb, voice, adjective in itertools.product(verbs, voices, adj_first + adj_second):
                out.append(make_sentence(frame, first, second, adjective, voice, verb))
    return out


def _vocab() -> tuple[str, ...]:
    words = {w for s in all_sentences() for w in s.tokens}
    return tuple(sorted(words))


VOCAB: tuple[str, ...] = _vocab()
_INDEX = {w: i for i, w in enumerate(VOCAB)}

MENUS: dict[str, object] = {
    "frames": {"cross": "the FIRST didn't cross the SECOND because it was too ADJECTIVE",
               "fit": "the FIRST didn't fit in the SECOND because it was too ADJECTIVE",
               "chase": "the FIRST VERB the SECOND because it was ADJECTIVE (passive: the SECOND was VERB by the FIRST)"},
    "nouns": {frame: {"first": NOUNS[k1], "second": NOUNS[k2]} for frame, ((k1, k2), _, _) in FRAMES.items()},
    "verbs": {"chase": VERBS},
    "adjectives": {frame: {"first": a1, "second": a2} for frame, (_, a1, a2) in FRAMES.items()},
    "voice": {"cross": ("active",), "fit": ("active",), "chase": ("active", "passive")},
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


class Corpus(NamedTuple):
    train: list[Sentence]
    held_out: list[Sentence]
    minimal_pairs: list[tuple[Sentence, Sentence]]  # held out; same sentence but the adjective; referents differ


def _held_out(s: Sentence) -> bool:
    return frozenset((s.first, s.second)) in HELD_OUT_PAIRS[s.frame]


def make_corpus() -> Corpus:
    """Training sentences, held-out sentences (held-out noun pairs) and held-out minimal pairs, in a fixed order."""
    everything = all_sentences()
    train = [s for s in everything if not _held_out(s)]
    held = [s for s in everything if _held_out(s)]
    pairs = []
    for s in held:  # pair the i-th "first" adjective with the i-th "second" adjective of the same frame
        _, adj_first, adj_second = FRAMES[s.frame]
        if s.adjective in adj_first and adj_first.index(s.adjective) < len(adj_second):
            flipped = adj_second[adj_first.index(s.adjective)]
            pairs.append((s, make_sentence(s.frame, s.first, s.second, flipped, s.voice, s.verb)))
    return Corpus(train, held, pairs)
