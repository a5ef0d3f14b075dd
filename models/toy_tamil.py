"""A toy Tamil -> English parallel corpus: verb-final, postpositional source; SVO English with the modal first.

The source language is the code-mixed office Tamil of the blog's example (English nouns carry Tamil case suffixes:
report-ஐ "report, as object", manager-க்கு "to the manager"). A clause is built from slots, most of them optional:

    Tamil   [subject] [time] [place] [recipient] [object] [manner] verb [modal]
    English (subject | modal + you | should + subject) [manner] verb [object] [to recipient] [place] [time]

so the English order differs from the Tamil one in almost every slot. Up to three clauses join with a connector
("and then", "but", "so"); a question may only close a sentence. Every source sentence has exactly one English
translation, which is what makes exact-match accuracy meaningful.

Public API: `Sentence`, `Corpus`, `make_corpus`, `held_out_set`, `sample_sentence`, `builder_slots`,
`slot_options`, `connector_options`, `Slot`, `Option`, `build`, `parse`, `BLOG_SLOTS`, `tokenize`, `Tokenized`,
`gloss`, `source_vocabulary`, `target_vocabulary`, `bucket_of`, `LENGTH_BUCKETS`, `MIN_SOURCE_LEN`,
`MAX_SOURCE_LEN`, `BLOG_SOURCE`, `BLOG_ENGLISH`.
"""

from __future__ import annotations

import functools
import gzip
import json
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "MIN_SOURCE_LEN", "MAX_SOURCE_LEN", "LENGTH_BUCKETS", "DEFAULT_SEED", "N_TEST_PER_BUCKET", "BLOG_SOURCE",
    "BLOG_ENGLISH", "Sentence", "Corpus", "Option", "Slot", "NONE", "gloss", "source_vocabulary",
    "target_vocabulary", "slot_options", "connector_options", "builder_slots", "build", "BLOG_SLOTS",
    "sample_sentence", "held_out_set", "make_corpus", "bucket_of", "parse", "Tokenized", "tokenize",
]

MIN_SOURCE_LEN = 2  # "அனுப்ப முடியுமா" (can you send); the held-out buckets start at 3
MAX_SOURCE_LEN = 30  # the models were trained on sentences up to this many tokens; longer input is refused
LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((3, 7), (8, 11), (12, 15), (16, 19), (20, 30))
DEFAULT_SEED = 2014  # Bahdanau, Cho and Bengio's year
N_TEST_PER_BUCKET = 400

BLOG_SOURCE = ("நாளைக்குள்", "அந்த", "report-ஐ", "அனுப்ப", "முடியுமா")
BLOG_ENGLISH = ("can", "you", "send", "the", "report", "by", "tomorrow")


class Sentence(NamedTuple):
    source: tuple[str, ...]  # Tamil tokens
    english: tuple[str, ...]  # English tokens, lower case, no punctuation
    glosses: tuple[str, ...]  # one English gloss per Tamil token


class Corpus(NamedTuple):
    train: list[Sentence]
    test: list[Sentence]  # disjoint from train by source sentence


class Option(NamedTuple):
    key: str  # what `build` takes
    tamil: tuple[str, ...]  # the source tokens it contributes (may be empty)
    english: str  # how it reads in English (for a drop-down label)
    gloss: str  # gloss of the Tamil tokens


class Slot(NamedTuple):
    name: str
    label: str
    options: tuple[Option, ...]


# ---------------------------------------------------------------------------------------------------------------
# Lexicon. Each entry: key -> (Tamil tokens, English words, gloss per Tamil token).

# verb key -> (infinitive, past I/we/they, future I/we/they, English base, English past, takes a recipient)
_VERBS: dict[str, tuple[str, tuple[str, str, str], tuple[str, str, str], str, str, bool]] = {
    "send": ("அனுப்ப", ("அனுப்பினேன்", "அனுப்பினோம்", "அனுப்பினார்கள்"), ("அனுப்புவேன்", "அனுப்புவோம்", "அனுப்புவார்கள்"), "send", "sent", True),
    "give": ("கொடுக்க", ("கொடுத்தேன்", "கொடுத்தோம்", "கொடுத்தார்கள்"), ("கொடுப்பேன்", "கொடுப்போம்", "கொடுப்பார்கள்"), "give", "gave", True),
    "write": ("எழுத", ("எழுதினேன்", "எழுதினோம்", "எழுதினார்கள்"), ("எழுதுவேன்", "எழுதுவோம்", "எழுதுவார்கள்"), "write", "wrote", True),
    "read": ("படிக்க", ("படித்தேன்", "படித்தோம்", "படித்தார்கள்"), ("படிப்பேன்", "படிப்போம்", "படிப்பார்கள்"), "read", "read", False),
    "check": ("சரிபார்க்க", ("சரிபார்த்தேன்", "சரிபார்த்தோம்", "சரிபார்த்தார்கள்"), ("சரிபார்ப்பேன்", "சரிபார்ப்போம்", "சரிபார்ப்பார்கள்"), "check", "checked", False),
    "finish": ("முடிக்க", ("முடித்தேன்", "முடித்தோம்", "முடித்தார்கள்"), ("முடிப்பேன்", "முடிப்போம்", "முடிப்பார்கள்"), "finish", "finished", False),
    # சரிசெய் "put right, repair": the English "fix" of a report or a plan. (திருத்த is "correct", as a teacher
    # corrects a text, so it would be the wrong word for "fix" in general.)
    "fix": ("சரிசெய்ய", ("சரிசெய்தேன்", "சரிசெய்தோம்", "சரிசெய்தார்கள்"), ("சரிசெய்வேன்", "சரிசெய்வோம்", "சரிசெய்வார்கள்"), "fix", "fixed", False),
}
_PERSONS = ("i", "we", "they")  # index into the past/future forms
# நாங்கள் is the exclusive "we" (the speaker's side, not the listener), so "our" is its possessive எங்கள் below,
# not the inclusive நம் (which would pair with நாம்).
_SUBJECTS = {"i": ("நான்", "I"), "we": ("நாங்கள்", "we"), "they": ("அவர்கள்", "they")}

# clause kind -> (needs a subject, tense for time phrases, modal token, modal gloss)
_KINDS = {
    "past": (True, "past", None, None),
    "future": (True, "future", None, None),
    "must": (True, "future", "வேண்டும்", "must"),
    "can": (False, "future", "முடியுமா", "can-you?"),
    "should": (True, "future", "வேண்டுமா", "should?"),
}
_KIND_LABELS = {
    "past": "statement, past (I sent ...)",
    "future": "statement, future (I will send ...)",
    "must": "obligation (I must send ...)",
    "can": "request (can you send ...?)",
    "should": "question (should I send ...?)",
}

# time key -> (Tamil tokens, English, glosses, allowed tenses)
_TIMES: dict[str, tuple[tuple[str, ...], str, tuple[str, ...], frozenset[str]]] = {
    "by_tomorrow": (("நாளைக்குள்",), "by tomorrow", ("tomorrow-by",), frozenset({"future"})),
    "tomorrow": (("நாளை",), "tomorrow", ("tomorrow",), frozenset({"future"})),
    "today": (("இன்று",), "today", ("today",), frozenset({"past", "future"})),
    "yesterday": (("நேற்று",), "yesterday", ("yesterday",), frozenset({"past"})),
    "morning": (("காலையில்",), "in the morning", ("morning-in",), frozenset({"past", "future"})),
    "evening": (("மாலையில்",), "in the evening", ("evening-in",), frozenset({"past", "future"})),
    "by_monday": (("திங்கட்கிழமைக்குள்",), "by monday", ("monday-by",), frozenset({"future"})),
    "by_friday": (("வெள்ளிக்கிழமைக்குள்",), "by friday", ("friday-by",), frozenset({"future"})),
    "next_week": (("அடுத்த", "வாரம்"), "next week", ("next", "week"), frozenset({"future"})),
    "last_week": (("கடந்த", "வாரம்"), "last week", ("last", "week"), frozenset({"past"})),
}
_PLACES = {
    "office": ("office-இல்", "at the office", "office-at"),
    "home": ("வீட்டில்", "at home", "house-at"),
    "meeting": ("meeting-இல்", "in the meeting", "meeting-in"),
}
_DETERMINERS = {  # a bare noun with a case suffix reads as definite
    "the": ("அந்த", "the", "that"),
    "this": ("இந்த", "this", "this"),
    "my": ("என்", "my", "my"),
    "our": ("எங்கள்", "our", "our"),
}
_ADJ_OPINION = {"important": ("முக்கியமான", "important"), "urgent": ("அவசரமான", "urgent")}
_ADJ_AGE = {"new": ("புதிய", "new"), "old": ("பழைய", "old"), "final": ("இறுதி", "final")}
_OBJECTS = ("report", "file", "email", "invoice", "budget", "contract", "plan", "proposal")
_PRONOUN_OBJECT = ("அதை", "it", "it-OBJ")
_RECIPIENTS = ("manager", "client", "team", "director")
_MANNERS = {"quickly": ("விரைவாக", "quickly"), "carefully": ("கவனமாக", "carefully"), "immediately": ("உடனே", "immediately")}
# connector key -> (Tamil tokens, English, gloss per token). "and then" is அதன் பிறகு ("after that"): a bare பிறகு
# between clauses reads as colloquial shorthand.
_CONNECTORS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "then": (("அதன்", "பிறகு"), "and then", ("that-of", "after")),
    "but": (("ஆனால்",), "but", ("but",)),
    "so": (("அதனால்",), "so", ("so",)),
}
_QUESTION_CONNECTORS = ("but", "so")  # "... so can you check it" reads well; "... and then can you" does not

# The order in which slots are decided: each slot's options depend only on the slots before it.
_SLOT_ORDER = ("kind", "verb", "subject", "time", "place", "recipient", "recipient_det", "object", "object_det",
               "adj_opinion", "adj_age", "manner")  # fmt: skip
NONE = "-"  # the key of "leave this slot empty"


def _object_token(noun: str) -> str:
    return f"{noun}-ஐ"


def _recipient_token(noun: str) -> str:
    return f"{noun}-க்கு"


def _gloss_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for inf, past, fut, base, past_en, _ in _VERBS.values():
        table[inf] = f"to-{base}"
        for person, p, f in zip(_PERSONS, past, fut, strict=True):
            who = _SUBJECTS[person][1]
            table[p] = f"{past_en}-{who}"
            table[f] = f"will-{base}-{who}"
    for tok, en in _SUBJECTS.values():
        table[tok] = en
    for _, _, modal, gl in _KINDS.values():
        if modal:
            table[modal] = gl
    for toks, _, gls, _ in _TIMES.values():
        table.update(zip(toks, gls, strict=True))
    for tok, _, gl in _PLACES.values():
        table[tok] = gl
    for tok, _, gl in _DETERMINERS.values():
        table[tok] = gl
    for tok, en in (*_ADJ_OPINION.values(), *_ADJ_AGE.values()):
        table[tok] = en
    for noun in _OBJECTS:
        table[_object_token(noun)] = f"{noun}-OBJ"
    table[_PRONOUN_OBJECT[0]] = _PRONOUN_OBJECT[2]
    for noun in _RECIPIENTS:
        table[_recipient_token(noun)] = f"{noun}-to"
    for tok, en in _MANNERS.values():
        table[tok] = en
    for toks, _, gls in _CONNECTORS.values():
        table.update(zip(toks, gls, strict=True))
    return table


_GLOSS = _gloss_table()  # read-only after import


def gloss(token: str) -> str:
    """The English gloss of one Tamil token ("நாளைக்குள்" -> "tomorrow-by"); "?" for a token not in the lexicon."""
    return _GLOSS.get(token, "?")


def source_vocabulary() -> list[str]:
    """Every Tamil token the grammar can produce, in a fixed order."""
    return sorted(_GLOSS)


def target_vocabulary() -> list[str]:
    """Every English word the grammar can produce, in a fixed order."""
    words: set[str] = {"can", "you", "must", "should", "will", "to", "and", "then", "but", "so", "it"}
    for _, _, _, base, past_en, _ in _VERBS.values():
        words |= {base, past_en}
    words |= {en.lower() for _, en in _SUBJECTS.values()}
    for _, en, _, _ in _TIMES.values():
        words |= set(en.split())
    for _, en, _ in _PLACES.values():
        words |= set(en.split())
    words |= {en for _, en, _ in _DETERMINERS.values()}
    words |= {en for _, en in (*_ADJ_OPINION.values(), *_ADJ_AGE.values(), *_MANNERS.values())}
    words |= set(_OBJECTS) | set(_RECIPIENTS)
    return sorted(words)


# ---------------------------------------------------------------------------------------------------------------
# The slot builder: the only way sentences are made, by the sampler and by a UI alike.


def _opts(pairs: Sequence[tuple[str, tuple[str, ...], str, str]], optional: bool) -> tuple[Option, ...]:
    head = (Option(NONE, (), "(none)", ""),) if optional else ()
    return head + tuple(Option(*p) for p in pairs)


def slot_options(name: str, chosen: Mapping[str, str]) -> tuple[Option, ...]:
    """The options of slot `name` that keep the clause grammatical, given the slots before it in `chosen`.

    Slots are decided in this order: kind, verb, subject, time, place, recipient, recipient_det, object,
    object_det, adj_opinion, adj_age, manner. "-" (NONE) leaves an optional slot empty.
    """
    obj = str(chosen.get("object", NONE))
    return _options(str(name), str(chosen.get("kind", "can")), str(chosen.get("verb", "send")),
                    chosen.get("recipient", NONE) != NONE, obj if obj in (NONE, "it") else "noun")  # fmt: skip


@functools.cache
def _options(name: str, kind: str, verb: str, has_recipient: bool, obj: str) -> tuple[Option, ...]:
    # cached: the sampler asks for the same few combinations hundreds of thousands of times
    if kind not in _KINDS:
        raise ValueError(f"unknown sentence kind {kind!r}; kinds are {', '.join(_KINDS)}")
    if verb not in _VERBS:
        raise ValueError(f"unknown verb {verb!r}; verbs are {', '.join(_VERBS)}")
    if name == "kind":
        return tuple(Option(k, (), _KIND_LABELS[k], "") for k in _KINDS)
    if name == "verb":
        return tuple(Option(k, (v[0],), v[3], f"to-{v[3]}") for k, v in _VERBS.items())
    if name == "subject":
        if not _KINDS[kind][0]:
            return (Option(NONE, (), "(you, implied)", ""),)
        return tuple(Option(k, (t,), en, en) for k, (t, en) in _SUBJECTS.items())
    if name == "time":
        tense = _KINDS[kind][1]
        return _opts([(k, t, en, " ".join(g)) for k, (t, en, g, tenses) in _TIMES.items() if tense in tenses], True)
    if name == "place":
        return _opts([(k, (t,), en, g) for k, (t, en, g) in _PLACES.items()], True)
    if name == "recipient":
        if not _VERBS[verb][5]:
            return _opts([], True)
        return _opts([(n, (_recipient_token(n),), f"to {n}", f"{n}-to") for n in _RECIPIENTS], True)
    if name == "recipient_det":
        if not has_recipient:
            return _opts([], True)
        return _opts([(k, (t,), en, g) for k, (t, en, g) in _DETERMINERS.items()], True)
    if name == "object":
        nouns = [(n, (_object_token(n),), n, f"{n}-OBJ") for n in _OBJECTS]
        nouns.append(("it", (_PRONOUN_OBJECT[0],), "it", _PRONOUN_OBJECT[2]))
        return _opts(nouns, optional=not has_recipient)  # "give to the manager" needs an object
    if name in ("object_det", "adj_opinion", "adj_age"):
        if obj != "noun":  # "it" takes no determiner or adjective
            return _opts([], True)
        table = {"object_det": _DETERMINERS, "adj_opinion": _ADJ_OPINION, "adj_age": _ADJ_AGE}[name]
        return _opts([(k, (v[0],), v[1], v[-1]) for k, v in table.items()], True)
    if name == "manner":
        return _opts([(k, (t,), en, en) for k, (t, en) in _MANNERS.items()], True)
    raise ValueError(f"unknown slot {name!r}; slots are {', '.join(_SLOT_ORDER)}")


def connector_options(next_kind: str = "past") -> tuple[Option, ...]:
    """The connectors that may join a clause to the next one, whose kind is `next_kind` (questions: but, so)."""
    if next_kind not in _KINDS:
        raise ValueError(f"unknown sentence kind {next_kind!r}; kinds are {', '.join(_KINDS)}")
    keys = _QUESTION_CONNECTORS if next_kind in ("can", "should") else tuple(_CONNECTORS)
    return tuple(Option(k, _CONNECTORS[k][0], _CONNECTORS[k][1], " ".join(_CONNECTORS[k][2])) for k in keys)


def builder_slots(chosen: Mapping[str, str] | None = None) -> list[Slot]:
    """All slots of one clause, each with the options allowed given the choices in `chosen` (for drop-downs)."""
    chosen = dict(chosen or {})
    labels = {"kind": "sentence type", "verb": "verb", "subject": "subject", "time": "time", "place": "place",
              "recipient_det": "recipient's determiner", "recipient": "recipient", "object_det": "object's determiner",
              "adj_opinion": "adjective (opinion)", "adj_age": "adjective (age)", "object": "object",
              "manner": "manner"}  # fmt: skip
    return [Slot(name, labels[name], slot_options(name, chosen)) for name in _SLOT_ORDER]


def _clause(slots: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """One clause's Tamil tokens and English words; ValueError for anything the grammar does not allow."""
    unknown = set(slots) - set(_SLOT_ORDER)
    if unknown:
        raise ValueError(f"unknown slot(s) {sorted(unknown)}; slots are {', '.join(_SLOT_ORDER)}")
    full = {name: slots.get(name, NONE) for name in _SLOT_ORDER}
    full["kind"] = slots.get("kind", "can")
    full["verb"] = slots.get("verb", "send")
    for name in _SLOT_ORDER:  # each slot is checked against the ones decided before it
        allowed = {o.key: o for o in slot_options(name, full)}
        if full[name] not in allowed:
            raise ValueError(f"slot {name!r} cannot be {full[name]!r} here (allowed: {', '.join(allowed)})")
    kind, verb = full["kind"], full["verb"]
    inf, past, fut, base, past_en, _ = _VERBS[verb]
    _, _, modal, _ = _KINDS[kind]

    tamil: list[str] = []
    if full["subject"] != NONE:
        tamil.append(_SUBJECTS[full["subject"]][0])
    time_toks, time_en = ((), "") if full["time"] == NONE else _TIMES[full["time"]][:2]
    tamil += time_toks
    if full["place"] != NONE:
        tamil.append(_PLACES[full["place"]][0])
    rec_en = ""
    if full["recipient"] != NONE:
        det = full["recipient_det"]
        if det != NONE:
            tamil.append(_DETERMINERS[det][0])
        tamil.append(_recipient_token(full["recipient"]))
        rec_en = f"to {_DETERMINERS[det][1] if det != NONE else 'the'} {full['recipient']}"
    obj_en = ""
    if full["object"] == "it":
        tamil.append(_PRONOUN_OBJECT[0])
        obj_en = "it"
    elif full["object"] != NONE:
        det = full["object_det"]
        words = [_DETERMINERS[det][1] if det != NONE else "the"]
        if det != NONE:
            tamil.append(_DETERMINERS[det][0])
        for slot, table in (("adj_opinion", _ADJ_OPINION), ("adj_age", _ADJ_AGE)):
            if full[slot] != NONE:
                tamil.append(table[full[slot]][0])
                words.append(table[full[slot]][1])
        tamil.append(_object_token(full["object"]))
        obj_en = " ".join([*words, full["object"]])
    manner_en = ""
    if full["manner"] != NONE:
        tamil.append(_MANNERS[full["manner"]][0])
        manner_en = _MANNERS[full["manner"]][1]

    subj_en = full["subject"] if full["subject"] != NONE else ""
    if kind == "past":
        tamil.append(past[_PERSONS.index(full["subject"])])
        head = f"{subj_en} {manner_en} {past_en}"
    elif kind == "future":
        tamil.append(fut[_PERSONS.index(full["subject"])])
        head = f"{subj_en} will {manner_en} {base}"
    else:
        tamil += [inf, modal]
        head = {"must": f"{subj_en} must", "can": "can you", "should": f"should {subj_en}"}[kind]
        head = f"{head} {manner_en} {base}"
    place_en = _PLACES[full["place"]][1] if full["place"] != NONE else ""
    english = " ".join(f"{head} {obj_en} {rec_en} {place_en} {time_en}".split()).split()
    return tamil, english


def build(clauses: Mapping[str, str] | Sequence[Mapping[str, str]], connectors: Sequence[str] = ()) -> Sentence:
    """Slots -> Sentence(source tokens, English tokens, glosses). ValueError names any ungrammatical choice.

    `clauses` is one clause's slots or a list of up to three; `connectors` joins them ("then", "but", "so"),
    one fewer than clauses. Only the last clause may be a question ("can", "should"), after "but" or "so".
    """
    if isinstance(clauses, Mapping):
        clauses = [clauses]
    clauses = list(clauses)
    if not 1 <= len(clauses) <= 3:
        raise ValueError(f"a sentence has 1 to 3 clauses, got {len(clauses)}")
    if len(connectors) != len(clauses) - 1:
        raise ValueError(f"{len(clauses)} clauses need {len(clauses) - 1} connector(s), got {len(connectors)}")
    tamil: list[str] = []
    english: list[str] = []
    for i, slots in enumerate(clauses):
        kind = slots.get("kind", "can")
        if kind in ("can", "should") and i < len(clauses) - 1:
            raise ValueError(f"clause {i + 1} is a question ({kind!r}); only the last clause may be one")
        if i:
            conn = connectors[i - 1]
            if conn not in _CONNECTORS:
                raise ValueError(f"unknown connector {conn!r}; connectors are {', '.join(_CONNECTORS)}")
            if kind in ("can", "should") and conn not in _QUESTION_CONNECTORS:
                raise ValueError(f"a question clause follows 'but' or 'so', not {conn!r}")
            tamil += _CONNECTORS[conn][0]
            english += _CONNECTORS[conn][1].split()
        t, e = _clause(slots)
        tamil += t
        english += e
    return Sentence(tuple(tamil), tuple(english), tuple(gloss(t) for t in tamil))


BLOG_SLOTS = {"kind": "can", "verb": "send", "time": "by_tomorrow", "object_det": "the", "object": "report"}


# ---------------------------------------------------------------------------------------------------------------
# Sampling and the corpus.


def _sample_clause(rng: np.random.Generator, p: float, question: bool) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name in _SLOT_ORDER:
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
    while True:
        # more clauses and fuller clauses for longer targets, so rejection rarely loops long
        n = int(rng.choice(3, p=[0.8, 0.15, 0.05] if mid < 10 else [0.2, 0.5, 0.3] if mid < 18 else [0, 0.35, 0.65]))
        p = float(rng.uniform(0.1, 0.5) if mid < 10 else rng.uniform(0.3, 0.9))
        question = rng.random() < 0.5
        clauses = [_sample_clause(rng, p, question and i == n) for i in range(n + 1)]
        conns = [str(rng.choice(_QUESTION_CONNECTORS if question and i == n else tuple(_CONNECTORS)))
                 for i in range(1, n + 1)]  # fmt: skip
        s = build(clauses, conns)
        if lo <= len(s.source) <= hi:
            return s


HELD_OUT_FILE = Path(__file__).parent / "weights" / "held_out.json.gz"


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


def write_held_out(path: str | Path, sentences: Sequence[Sentence], seed: int, per_bucket: int) -> None:
    """Store sentences (drawn with `seed`, `per_bucket` per length bucket) as gzipped JSON: one [source, English] pair
    of space-joined tokens each (glosses follow from the source); no timestamp in the gzip header, so a rewrite on
    the same Python and zlib gives the same bytes."""
    rows = [[" ".join(s.source), " ".join(s.english)] for s in sentences]
    data = json.dumps({"seed": seed, "per_bucket": per_bucket, "sentences": rows},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    Path(path).write_bytes(gzip.compress(data, mtime=0))


def read_held_out(path: str | Path, seed: int, per_bucket: int) -> tuple[Sentence, ...] | None:
    """The stored sentences, or None when the file was written for another seed or bucket size."""
    data = json.loads(gzip.decompress(Path(path).read_bytes()))
    if (data["seed"], data["per_bucket"]) != (seed, per_bucket):
        return None
    rows = data["sentences"]
    out = []
    for source, english in rows:
        tamil = tuple(source.split())
        out.append(Sentence(tamil, tuple(english.split()), tuple(gloss(t) for t in tamil)))
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


# ---------------------------------------------------------------------------------------------------------------
# Parsing: typed tokens back to slots, so a typed sentence gets its reference translation (or a reason it has none).


def _token_roles() -> dict[str, tuple[str, object]]:
    roles: dict[str, tuple[str, object]] = {}
    for key, (tok, _) in _SUBJECTS.items():
        roles[tok] = ("subject", key)
    for key, (toks, _, _, _) in _TIMES.items():
        roles[toks[0]] = ("time", key) if len(toks) == 1 else ("time_first", key)
        roles.update({t: ("time_rest", key) for t in toks[1:]})
    for key, (tok, _, _) in _PLACES.items():
        roles[tok] = ("place", key)
    for key, (tok, _, _) in _DETERMINERS.items():
        roles[tok] = ("det", key)
    for slot, table in (("adj_opinion", _ADJ_OPINION), ("adj_age", _ADJ_AGE), ("manner", _MANNERS)):
        for key, (tok, _) in table.items():
            roles[tok] = (slot, key)
    for noun in _OBJECTS:
        roles[_object_token(noun)] = ("object", noun)
    roles[_PRONOUN_OBJECT[0]] = ("object", "it")
    for noun in _RECIPIENTS:
        roles[_recipient_token(noun)] = ("recipient", noun)
    for verb, (inf, past, fut, *_) in _VERBS.items():
        roles[inf] = ("infinitive", verb)
        for person, p, f in zip(_PERSONS, past, fut, strict=True):
            roles[p], roles[f] = ("past", (verb, person)), ("future", (verb, person))
    for kind, (_, _, modal, _) in _KINDS.items():
        if modal:
            roles[modal] = ("modal", kind)
    for key, (toks, _, _) in _CONNECTORS.items():
        roles[toks[0]] = ("connector", key) if len(toks) == 1 else ("connector_first", key)
        roles.update({t: ("connector_rest", key) for t in toks[1:]})
    return roles


_ROLES = _token_roles()  # read-only after import


def _parse_clause(tokens: Sequence[str]) -> dict[str, str]:
    slots: dict[str, str] = {}
    det: str | None = None

    def put(slot: str, value: str, token: str) -> None:
        if slot in slots:
            raise ValueError(f"'{token}' fills the {slot.replace('_', ' ')} a second time")
        slots[slot] = value

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        role, key = _ROLES[tok]
        if det is not None and role not in ("adj_opinion", "adj_age", "object", "recipient"):
            raise ValueError(f"the determiner before '{tok}' needs a noun after it")
        if role == "time_first":
            if i + 1 >= len(tokens) or tokens[i + 1] != _TIMES[str(key)][0][1]:
                raise ValueError(f"'{tok}' ({gloss(tok)}) must be followed by '{_TIMES[str(key)][0][1]}'")
            put("time", str(key), tok)
            i += 1
        elif role == "time_rest":
            raise ValueError(f"'{tok}' ({gloss(tok)}) must follow அடுத்த (next) or கடந்த (last)")
        elif role == "det":
            det = str(key)
        elif role in ("adj_opinion", "adj_age", "object", "recipient"):
            if det is not None:
                put("recipient_det" if role == "recipient" else "object_det", det, tok)
                det = None
            put(role, str(key), tok)
        elif role in ("past", "future"):
            verb, person = key  # type: ignore[misc]
            put("kind", role, tok)
            put("verb", verb, tok)
            if slots.get("subject", person) != person:
                raise ValueError(f"the verb '{tok}' ({gloss(tok)}) does not agree with the subject")
        elif role == "infinitive":
            put("verb", str(key), tok)
            if i + 1 >= len(tokens) or _ROLES[tokens[i + 1]][0] != "modal":
                raise ValueError(f"the infinitive '{tok}' ({gloss(tok)}) needs வேண்டும், வேண்டுமா or முடியுமா after it")
        elif role == "modal":
            put("kind", str(key), tok)
        else:
            put(role, str(key), tok)
        i += 1
    if det is not None:
        raise ValueError("a determiner at the end of a clause has no noun")
    if "verb" not in slots:
        raise ValueError("a clause has no verb")
    return slots


def parse(tokens: Sequence[str]) -> Sentence:
    """Tamil tokens -> the Sentence with its reference translation. ValueError says why the tokens are not a
    sentence of the toy grammar (unknown word, missing verb, wrong order, tense and time that disagree, ...)."""
    tokens = tuple(tokens)
    unknown = [t for t in dict.fromkeys(tokens) if t not in _ROLES]
    if unknown:
        raise ValueError(f"not in the toy language's vocabulary: {', '.join(unknown)}")
    if not tokens:
        raise ValueError("the sentence is empty")
    clauses: list[list[str]] = [[]]
    connectors: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        role, key = _ROLES[tok]
        if role == "connector_first":  # அதன் பிறகு: two tokens, one connector
            rest = _CONNECTORS[str(key)][0][1:]
            if tuple(tokens[i + 1 : i + 1 + len(rest)]) != rest:
                raise ValueError(f"'{tok}' ({gloss(tok)}) must be followed by '{' '.join(rest)}'")
            i += len(rest)
            role = "connector"
        elif role == "connector_rest":
            first = _CONNECTORS[str(key)][0][0]
            raise ValueError(f"'{tok}' ({gloss(tok)}) between clauses needs '{first}' before it")
        if role == "connector":
            connectors.append(str(key))
            clauses.append([])
        else:
            clauses[-1].append(tok)
        i += 1
    slots = [_parse_clause(c) for c in clauses]
    sentence = build(slots, connectors)
    if sentence.source != tokens:
        raise ValueError("the words are not in the toy grammar's order: " + " ".join(sentence.source))
    return sentence


# ---------------------------------------------------------------------------------------------------------------
# Typed input.


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
    unknown = tuple(dict.fromkeys(t for t in tokens if t not in _GLOSS))
    problem = None
    if not tokens:
        problem = "The sentence is empty; type a few Tamil words separated by spaces."
    elif len(tokens) > MAX_SOURCE_LEN:
        problem = f"The sentence has {len(tokens)} tokens; the models take at most {MAX_SOURCE_LEN}."
    elif unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        problem = f"{len(unknown)} word(s) are not in the toy language's vocabulary: {shown}"
    return Tokenized(tokens, unknown, MAX_SOURCE_LEN, problem)


if __name__ == "__main__":  # python -m models.toy_tamil: rewrite the shipped held-out set from the sampler
    write_held_out(HELD_OUT_FILE, sample_held_out(DEFAULT_SEED, N_TEST_PER_BUCKET), DEFAULT_SEED, N_TEST_PER_BUCKET)
    print(f"wrote {HELD_OUT_FILE}")
