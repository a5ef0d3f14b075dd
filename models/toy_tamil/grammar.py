"""The toy grammar: a clause is a set of slots filled in a fixed order, each slot offering only the options that keep
the clause grammatical given the slots before it; `build` turns slots into a Tamil sentence with its one English
translation and its glosses. The sampler and the pages' drop-downs make sentences only through it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .lexicon import (
    ADJ_AGE,
    ADJ_OPINION,
    AT_HOUR,
    CONNECTORS,
    DETERMINERS,
    HOUR_TIMES,
    HOUR_WORDS,
    KIND_LABELS,
    KINDS,
    MANNERS,
    NAME_FORMS,
    OBJECTS,
    PERSONS,
    PLACES,
    PRONOUN_OBJECT,
    QUESTION_CONNECTORS,
    RECIPIENTS,
    SUBJECTS,
    TIMES,
    VERBS,
    gloss,
    name_with_case,
    object_token,
    recipient_token,
    third_person,
)

__all__ = [
    "BLOG_SOURCE", "BLOG_ENGLISH", "BLOG_SLOTS", "MAX_CLAUSES", "NONE", "SLOT_ORDER", "Sentence", "Option",
    "Slot", "slot_options", "builder_slots", "build",
]

BLOG_SOURCE = ("நாளைக்குள்", "அந்த", "report-ஐ", "அனுப்ப", "முடியுமா")
BLOG_ENGLISH = ("can", "you", "send", "the", "report", "by", "tomorrow")


class Sentence(NamedTuple):
    source: tuple[str, ...]  # Tamil tokens
    english: tuple[str, ...]  # English tokens, lower case, no punctuation
    glosses: tuple[str, ...]  # one English gloss per Tamil token



class Option(NamedTuple):
    key: str  # what `build` takes
    tamil: tuple[str, ...]  # the source tokens it contributes (may be empty)
    english: str  # how it reads in English (for a drop-down label)
    gloss: str  # gloss of the Tamil tokens


class Slot(NamedTuple):
    name: str
    label: str
    options: tuple[Option, ...]



# The order in which slots are decided: each slot's options depend only on the slots before it.
SLOT_ORDER = ("kind", "verb", "subject", "time", "hour", "place", "companion", "recipient", "recipient_det", "object",
               "object_det", "adj_opinion", "adj_age", "manner")  # fmt: skip
MAX_CLAUSES = 4
NONE = "-"  # the key of "leave this slot empty"


def _opts(pairs: Sequence[tuple[str, tuple[str, ...], str, str]], optional: bool) -> tuple[Option, ...]:
    head = (Option(NONE, (), "(none)", ""),) if optional else ()
    return head + tuple(Option(*p) for p in pairs)


def slot_options(name: str, chosen: Mapping[str, str]) -> tuple[Option, ...]:
    """The options of slot `name` that keep the clause grammatical, given the slots before it in `chosen`.

    Slots are decided in this order: kind, verb, subject, time, hour, place, companion, recipient, recipient_det,
    object, object_det, adj_opinion, adj_age, manner. "-" (NONE) leaves an optional slot empty.
    """
    name, kind, verb = str(name), str(chosen.get("kind", "can")), str(chosen.get("verb", "send"))
    if kind not in KINDS:
        raise ValueError(f"unknown sentence kind {kind!r}; kinds are {', '.join(KINDS)}")
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb!r}; verbs are {', '.join(VERBS)}")
    if name not in SLOT_ORDER:
        raise ValueError(f"unknown slot {name!r}; slots are {', '.join(SLOT_ORDER)}")
    recipient, obj = str(chosen.get("recipient", NONE)), str(chosen.get("object", NONE))
    # a colleague is named once per clause: not "Kumar ... with Kumar ... to Kumar"
    before = SLOT_ORDER[: SLOT_ORDER.index(name)]
    named = tuple(sorted(str(chosen[k]) for k in ("subject", "companion") if k in before and chosen.get(k) in NAME_FORMS))
    # only what the slot depends on goes into the cache key, so the cache stays small
    key = {"subject": kind, "time": kind, "hour": str(chosen.get("time", NONE)), "companion": named,
           "recipient": (verb, named), "recipient_det": "name" if recipient in NAME_FORMS else recipient != NONE,
           "object": recipient != NONE, "object_det": obj, "adj_opinion": obj, "adj_age": obj}.get(name)
    return _options(name, key)


@functools.cache
def _options(name: str, key) -> tuple[Option, ...]:
    # cached: the sampler asks for the same few combinations hundreds of thousands of times
    if name == "kind":
        return tuple(Option(k, (), KIND_LABELS[k], "") for k in KINDS)
    if name == "verb":
        return tuple(Option(k, (v[0],), v[3], f"to-{v[3]}") for k, v in VERBS.items())
    if name == "subject":
        if not KINDS[key][0]:
            return (Option(NONE, (), "(you, implied)", ""),)
        return (*(Option(k, (t,), en, en) for k, (t, en) in SUBJECTS.items()),
                *(Option(k, (t,), k.capitalize(), k.capitalize()) for k, t in NAME_FORMS.items()))
    if name == "time":
        tense = KINDS[key][1]
        return _opts([(k, t, en, " ".join(g)) for k, (t, en, g, tenses) in TIMES.items() if tense in tenses], True)
    if name == "hour":
        if key != NONE and key not in HOUR_TIMES:
            return _opts([], True)
        return _opts([(k, (t, AT_HOUR[0]), f"at {k}", f"{k} {AT_HOUR[1]}") for k, t in HOUR_WORDS.items()], True)
    if name == "place":
        return _opts([(k, (t,), en, g) for k, (t, en, g) in PLACES.items()], True)
    if name == "companion":
        return _opts([(k, (name_with_case(t, "soc"),), f"with {k.capitalize()}", f"{k.capitalize()}-with")
                      for k, t in NAME_FORMS.items() if k not in key], True)
    if name == "recipient":
        verb, named = key
        if not VERBS[verb][5]:
            return _opts([], True)
        names = [(k, (name_with_case(t, "dat"),), f"to {k.capitalize()}", f"{k.capitalize()}-to")
                 for k, t in NAME_FORMS.items() if k not in named]
        return _opts([(n, (recipient_token(n),), f"to {n}", f"{n}-to") for n in RECIPIENTS] + names, True)
    if name == "recipient_det":
        if not key or key == "name":  # "to Kumar", never "to my Kumar"
            return _opts([], True)
        return _opts([(k, (t,), en, g) for k, (t, en, g) in DETERMINERS.items()], True)
    if name == "object":
        nouns = [(n, (object_token(n),), n, f"{n}-OBJ") for n in OBJECTS]
        nouns.append(("it", (PRONOUN_OBJECT[0],), "it", PRONOUN_OBJECT[2]))
        return _opts(nouns, optional=not key)  # "give to the manager" needs an object
    if name in ("object_det", "adj_opinion", "adj_age"):
        if key in (NONE, "it"):  # "it" takes no determiner or adjective
            return _opts([], True)
        table = {"object_det": DETERMINERS, "adj_opinion": ADJ_OPINION, "adj_age": ADJ_AGE}[name]
        return _opts([(k, (v[0],), v[1], v[-1]) for k, v in table.items()], True)
    return _opts([(k, (t,), en, en) for k, (t, en) in MANNERS.items()], True)  # manner


def builder_slots(chosen: Mapping[str, str] | None = None) -> list[Slot]:
    """All slots of one clause, each with the options allowed given the choices in `chosen` (for drop-downs)."""
    chosen = dict(chosen or {})
    labels = {"kind": "sentence type", "verb": "verb", "subject": "subject", "time": "time", "hour": "hour",
              "place": "place", "companion": "with whom",
              "recipient_det": "recipient's determiner", "recipient": "recipient", "object_det": "object's determiner",
              "adj_opinion": "adjective (opinion)", "adj_age": "adjective (age)", "object": "object",
              "manner": "manner"}  # fmt: skip
    return [Slot(name, labels[name], slot_options(name, chosen)) for name in SLOT_ORDER]


def _clause(slots: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """One clause's Tamil tokens and English words; ValueError for anything the grammar does not allow."""
    unknown = set(slots) - set(SLOT_ORDER)
    if unknown:
        raise ValueError(f"unknown slot(s) {sorted(unknown)}; slots are {', '.join(SLOT_ORDER)}")
    full = {name: slots.get(name, NONE) for name in SLOT_ORDER}
    full["kind"] = slots.get("kind", "can")
    full["verb"] = slots.get("verb", "send")
    for name in SLOT_ORDER:  # each slot is checked against the ones decided before it
        allowed = {o.key: o for o in slot_options(name, full)}
        if full[name] not in allowed:
            raise ValueError(f"slot {name!r} cannot be {full[name]!r} here (allowed: {', '.join(allowed)})")
    kind, verb = full["kind"], full["verb"]
    inf, past, fut, base, past_en, _ = VERBS[verb]
    _, _, modal, _ = KINDS[kind]

    tamil: list[str] = []
    subject = full["subject"]
    if subject != NONE:
        tamil.append(NAME_FORMS[subject] if subject in NAME_FORMS else SUBJECTS[subject][0])
    time_toks, time_en = ((), "") if full["time"] == NONE else TIMES[full["time"]][:2]
    tamil += time_toks
    hour_en = ""
    if full["hour"] != NONE:
        tamil += [HOUR_WORDS[full["hour"]], AT_HOUR[0]]
        hour_en = f"at {full['hour']}"
    if full["place"] != NONE:
        tamil.append(PLACES[full["place"]][0])
    with_en = ""
    if full["companion"] != NONE:
        tamil.append(name_with_case(NAME_FORMS[full["companion"]], "soc"))
        with_en = f"with {full['companion']}"
    rec_en = ""
    if full["recipient"] in NAME_FORMS:
        tamil.append(name_with_case(NAME_FORMS[full["recipient"]], "dat"))
        rec_en = f"to {full['recipient']}"
    elif full["recipient"] != NONE:
        det = full["recipient_det"]
        if det != NONE:
            tamil.append(DETERMINERS[det][0])
        tamil.append(recipient_token(full["recipient"]))
        rec_en = f"to {DETERMINERS[det][1] if det != NONE else 'the'} {full['recipient']}"
    obj_en = ""
    if full["object"] == "it":
        tamil.append(PRONOUN_OBJECT[0])
        obj_en = "it"
    elif full["object"] != NONE:
        det = full["object_det"]
        words = [DETERMINERS[det][1] if det != NONE else "the"]
        if det != NONE:
            tamil.append(DETERMINERS[det][0])
        for slot, table in (("adj_opinion", ADJ_OPINION), ("adj_age", ADJ_AGE)):
            if full[slot] != NONE:
                tamil.append(table[full[slot]][0])
                words.append(table[full[slot]][1])
        tamil.append(object_token(full["object"]))
        obj_en = " ".join([*words, full["object"]])
    manner_en = ""
    if full["manner"] != NONE:
        tamil.append(MANNERS[full["manner"]][0])
        manner_en = MANNERS[full["manner"]][1]

    subj_en = subject if subject != NONE else ""
    if kind == "past":
        tamil.append(third_person(past[0]) if subject in NAME_FORMS else past[PERSONS.index(subject)])
        head = f"{subj_en} {manner_en} {past_en}"
    elif kind == "future":
        tamil.append(third_person(fut[0]) if subject in NAME_FORMS else fut[PERSONS.index(subject)])
        head = f"{subj_en} will {manner_en} {base}"
    else:
        tamil += [inf, modal]
        head = {"must": f"{subj_en} must", "can": "can you", "should": f"should {subj_en}"}[kind]
        head = f"{head} {manner_en} {base}"
    place_en = PLACES[full["place"]][1] if full["place"] != NONE else ""
    english = f"{head} {obj_en} {rec_en} {with_en} {place_en} {hour_en} {time_en}".split()
    return tamil, english


def build(clauses: Mapping[str, str] | Sequence[Mapping[str, str]], connectors: Sequence[str] = ()) -> Sentence:
    """Slots -> Sentence(source tokens, English tokens, glosses). ValueError names any ungrammatical choice.

    `clauses` is one clause's slots or a list of up to MAX_CLAUSES; `connectors` joins them ("then", "but", "so"),
    one fewer than clauses. Only the last clause may be a question ("can", "should"), after "but" or "so".
    """
    if isinstance(clauses, Mapping):
        clauses = [clauses]
    clauses = list(clauses)
    if not 1 <= len(clauses) <= MAX_CLAUSES:
        raise ValueError(f"a sentence has 1 to {MAX_CLAUSES} clauses, got {len(clauses)}")
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
            if conn not in CONNECTORS:
                raise ValueError(f"unknown connector {conn!r}; connectors are {', '.join(CONNECTORS)}")
            if kind in ("can", "should") and conn not in QUESTION_CONNECTORS:
                raise ValueError(f"a question clause follows 'but' or 'so', not {conn!r}")
            tamil += CONNECTORS[conn][0]
            english += CONNECTORS[conn][1].split()
        t, e = _clause(slots)
        tamil += t
        english += e
    return Sentence(tuple(tamil), tuple(english), tuple(gloss(t) for t in tamil))


BLOG_SLOTS = {"kind": "can", "verb": "send", "time": "by_tomorrow", "object_det": "the", "object": "report"}
