"""Parsing: typed tokens back to slots, so a typed sentence gets its reference translation (or a reason it has none).
"""

from __future__ import annotations

from collections.abc import Sequence

from .grammar import Sentence, build
from .lexicon import (
    ADJ_AGE,
    ADJ_OPINION,
    AT_HOUR,
    CONNECTORS,
    DETERMINERS,
    HOUR_WORDS,
    KINDS,
    MANNERS,
    NAME_FORMS,
    OBJECTS,
    PERSONS,
    PLACES,
    PRONOUN_OBJECT,
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

__all__ = ["parse"]


def _token_roles() -> dict[str, tuple[str, object]]:
    roles: dict[str, tuple[str, object]] = {}
    for key, (tok, _) in SUBJECTS.items():
        roles[tok] = ("subject", key)
    for key, name in NAME_FORMS.items():
        roles[name] = ("subject", key)
        roles[name_with_case(name, "dat")] = ("recipient", key)
        roles[name_with_case(name, "soc")] = ("companion", key)
    for key, tok in HOUR_WORDS.items():
        roles[tok] = ("hour_first", key)
    roles[AT_HOUR[0]] = ("hour_rest", None)
    for key, (toks, _, _, _) in TIMES.items():
        roles[toks[0]] = ("time", key) if len(toks) == 1 else ("time_first", key)
        roles.update({t: ("time_rest", key) for t in toks[1:]})
    for key, (tok, _, _) in PLACES.items():
        roles[tok] = ("place", key)
    for key, (tok, _, _) in DETERMINERS.items():
        roles[tok] = ("det", key)
    for slot, table in (("adj_opinion", ADJ_OPINION), ("adj_age", ADJ_AGE), ("manner", MANNERS)):
        for key, (tok, _) in table.items():
            roles[tok] = (slot, key)
    for noun in OBJECTS:
        roles[object_token(noun)] = ("object", noun)
    roles[PRONOUN_OBJECT[0]] = ("object", "it")
    for noun in RECIPIENTS:
        roles[recipient_token(noun)] = ("recipient", noun)
    for verb, (inf, past, fut, *_) in VERBS.items():
        roles[inf] = ("infinitive", verb)
        for person, p, f in zip(PERSONS, past, fut, strict=True):
            roles[p], roles[f] = ("past", (verb, person)), ("future", (verb, person))
        roles[third_person(past[0])] = ("past", (verb, "name"))
        roles[third_person(fut[0])] = ("future", (verb, "name"))
    for kind, (_, _, modal, _) in KINDS.items():
        if modal:
            roles[modal] = ("modal", kind)
    for key, (toks, _, _) in CONNECTORS.items():
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
            if i + 1 >= len(tokens) or tokens[i + 1] != TIMES[str(key)][0][1]:
                raise ValueError(f"'{tok}' ({gloss(tok)}) must be followed by '{TIMES[str(key)][0][1]}'")
            put("time", str(key), tok)
            i += 1
        elif role == "time_rest":
            raise ValueError(f"'{tok}' ({gloss(tok)}) must follow அடுத்த (next) or கடந்த (last)")
        elif role == "hour_first":
            if i + 1 >= len(tokens) or tokens[i + 1] != AT_HOUR[0]:
                raise ValueError(f"the hour '{tok}' ({gloss(tok)}) must be followed by '{AT_HOUR[0]}'")
            put("hour", str(key), tok)
            i += 1
        elif role == "hour_rest":
            raise ValueError(f"'{tok}' ({gloss(tok)}) must follow an hour such as ஐந்து (five)")
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
            subject = slots.get("subject")
            if subject is not None and ("name" if subject in NAME_FORMS else subject) != person:
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
            rest = CONNECTORS[str(key)][0][1:]
            if tuple(tokens[i + 1 : i + 1 + len(rest)]) != rest:
                raise ValueError(f"'{tok}' ({gloss(tok)}) must be followed by '{' '.join(rest)}'")
            i += len(rest)
            role = "connector"
        elif role == "connector_rest":
            first = CONNECTORS[str(key)][0][0]
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
