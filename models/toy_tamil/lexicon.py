"""The toy language's words: every Tamil form with its English and its gloss, the case endings fused onto names,
the verb forms of each person, and the two vocabularies. Each table maps a key (what the grammar's slots take) to
the Tamil tokens, the English words and a gloss per Tamil token. Read-only after import.
"""

from __future__ import annotations

__all__ = [
    "VERBS", "PERSONS", "SUBJECTS", "NAME_FORMS", "KINDS", "KIND_LABELS", "TIMES", "CITY_FORMS",
    "PLACES", "HOUR_WORDS", "AT_HOUR", "HOUR_TIMES", "DETERMINERS", "ADJ_OPINION", "ADJ_AGE", "OBJECTS",
    "PRONOUN_OBJECT", "RECIPIENTS", "MANNERS", "CONNECTORS", "QUESTION_CONNECTORS", "NAMES", "CITIES", "HOURS",
    "name_with_case", "third_person", "object_token", "recipient_token", "gloss", "in_vocabulary", "source_vocabulary", "target_vocabulary",
]


# verb key -> (infinitive, past I/we/they, future I/we/they, English base, English past, takes a recipient)
VERBS: dict[str, tuple[str, tuple[str, str, str], tuple[str, str, str], str, str, bool]] = {
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
PERSONS = ("i", "we", "they")  # index into the past/future forms
# நாங்கள் is the exclusive "we" (the speaker's side, not the listener), so "our" is its possessive எங்கள் below,
# not the inclusive நம் (which would pair with நாம்).
SUBJECTS = {"i": ("நான்", "I"), "we": ("நாங்கள்", "we"), "they": ("அவர்கள்", "they")}

# Colleagues, by name: an open class a translator must carry word for word. English key -> Tamil name.
NAME_FORMS = {
    "kumar": "குமார்", "priya": "பிரியா", "ravi": "ரவி", "meena": "மீனா", "arun": "அருண்", "divya": "திவ்யா",
    "suresh": "சுரேஷ்", "lakshmi": "லட்சுமி", "anand": "ஆனந்த்", "geetha": "கீதா", "selvi": "செல்வி",
    "ramesh": "ரமேஷ்", "kavitha": "கவிதா", "bala": "பாலா", "murugan": "முருகன்", "anitha": "அனிதா",
    "ganesh": "கணேஷ்", "revathi": "ரேவதி", "senthil": "செந்தில்", "uma": "உமா", "prakash": "பிரகாஷ்",
    "deepa": "தீபா", "mohan": "மோகன்", "saranya": "சரண்யா",
}
_PULLI, _U = "\u0bcd", "\u0bc1"  # ் (no vowel) and the vowel sign ு


def name_with_case(name: str, suffix: str) -> str:
    """A Tamil name with the dative (க்கு, "to") or the sociative (உடன், "with") fused on, as Tamil writes it:
    a final consonant takes the linking vowel உ (குமார் -> குமாருக்கு, குமாருடன்), a final ா takes வ் + உ
    (பிரியா -> பிரியாவுக்கு, பிரியாவுடன்), a final இ takes க்கு directly and ய் before உடன் (ரவி -> ரவிக்கு, ரவியுடன்)."""
    if name.endswith(_PULLI):
        return name[:-1] + _U + ("க்கு" if suffix == "dat" else "டன்")
    if name.endswith("ா"):
        return name + "வு" + ("க்கு" if suffix == "dat" else "டன்")
    if name.endswith("ி"):
        return name + ("க்கு" if suffix == "dat" else "யுடன்")
    raise ValueError(f"no case rule for the name {name!r}")


def third_person(form: str) -> str:
    """The respectful third-person form (he/she) from the first-person one: அனுப்பினேன் -> அனுப்பினார்."""
    assert form.endswith("ேன்"), form
    return form[: -len("ேன்")] + "ார்"

# clause kind -> (needs a subject, tense for time phrases, modal token, modal gloss)
KINDS = {
    "past": (True, "past", None, None),
    "future": (True, "future", None, None),
    "must": (True, "future", "வேண்டும்", "must"),
    "can": (False, "future", "முடியுமா", "can-you?"),
    "should": (True, "future", "வேண்டுமா", "should?"),
}
KIND_LABELS = {
    "past": "statement, past (I sent ...)",
    "future": "statement, future (I will send ...)",
    "must": "obligation (I must send ...)",
    "can": "request (can you send ...?)",
    "should": "question (should I send ...?)",
}

# time key -> (Tamil tokens, English, glosses, allowed tenses)
TIMES: dict[str, tuple[tuple[str, ...], str, tuple[str, ...], frozenset[str]]] = {
    "by_tomorrow": (("நாளைக்குள்",), "by tomorrow", ("tomorrow-by",), frozenset({"future"})),
    "tomorrow": (("நாளை",), "tomorrow", ("tomorrow",), frozenset({"future"})),
    "today": (("இன்று",), "today", ("today",), frozenset({"past", "future"})),
    "yesterday": (("நேற்று",), "yesterday", ("yesterday",), frozenset({"past"})),
    "morning": (("காலையில்",), "in the morning", ("morning-in",), frozenset({"past", "future"})),
    "evening": (("மாலையில்",), "in the evening", ("evening-in",), frozenset({"past", "future"})),
    **{f"by_{day}": ((f"{tamil}க்குள்",), f"by {day}", (f"{day}-by",), frozenset({"future"}))
       for day, tamil in (("monday", "திங்கட்கிழமை"), ("tuesday", "செவ்வாய்க்கிழமை"), ("wednesday", "புதன்கிழமை"),
                          ("thursday", "வியாழக்கிழமை"), ("friday", "வெள்ளிக்கிழமை"))},
    **{f"on_{day}": ((tamil,), f"on {day}", (day,), frozenset({"past", "future"}))
       for day, tamil in (("monday", "திங்கட்கிழமை"), ("tuesday", "செவ்வாய்க்கிழமை"), ("wednesday", "புதன்கிழமை"),
                          ("thursday", "வியாழக்கிழமை"), ("friday", "வெள்ளிக்கிழமை"))},
    "next_week": (("அடுத்த", "வாரம்"), "next week", ("next", "week"), frozenset({"future"})),
    "last_week": (("கடந்த", "வாரம்"), "last week", ("last", "week"), frozenset({"past"})),
}
# cities, with the locative இல் ("in") fused on as Tamil writes it
CITY_FORMS = {
    "chennai": "சென்னையில்", "madurai": "மதுரையில்", "coimbatore": "கோயம்புத்தூரில்", "bangalore": "பெங்களூரில்",
    "mumbai": "மும்பையில்", "delhi": "டெல்லியில்", "trichy": "திருச்சியில்", "salem": "சேலத்தில்",
    "hyderabad": "ஹைதராபாத்தில்", "kochi": "கொச்சியில்", "vellore": "வேலூரில்", "london": "லண்டனில்",
    "singapore": "சிங்கப்பூரில்", "tirunelveli": "திருநெல்வேலியில்", "thanjavur": "தஞ்சாவூரில்", "erode": "ஈரோட்டில்",
}
PLACES = {
    "office": ("office-இல்", "at the office", "office-at"),
    "home": ("வீட்டில்", "at home", "house-at"),
    "meeting": ("meeting-இல்", "in the meeting", "meeting-in"),
    **{city: (tamil, f"in {city}", f"{city.capitalize()}-in") for city, tamil in CITY_FORMS.items()},
}
# The hour of the day: "ஐந்து மணிக்கு" is "at five" (மணி "hour, o'clock" with the dative).
HOUR_WORDS = {"one": "ஒரு", "two": "இரண்டு", "three": "மூன்று", "four": "நான்கு", "five": "ஐந்து", "six": "ஆறு",
          "seven": "ஏழு", "eight": "எட்டு", "nine": "ஒன்பது", "ten": "பத்து", "eleven": "பதினோரு",
          "twelve": "பன்னிரண்டு"}
AT_HOUR = ("மணிக்கு", "o'clock-at")
# "at five" goes with a day ("at five tomorrow", "at five on friday") or none; not with a deadline or a week
HOUR_TIMES = frozenset({"today", "tomorrow", "yesterday"} | {f"on_{d}" for d in ("monday", "tuesday", "wednesday",
                                                                                  "thursday", "friday")})
DETERMINERS = {  # a bare noun with a case suffix reads as definite
    "the": ("அந்த", "the", "that"),
    "this": ("இந்த", "this", "this"),
    "my": ("என்", "my", "my"),
    "our": ("எங்கள்", "our", "our"),
}
ADJ_OPINION = {"important": ("முக்கியமான", "important"), "urgent": ("அவசரமான", "urgent")}
ADJ_AGE = {"new": ("புதிய", "new"), "old": ("பழைய", "old"), "final": ("இறுதி", "final")}
OBJECTS = ("report", "file", "email", "invoice", "budget", "contract", "plan", "proposal", "letter", "document",
            "agenda", "quotation", "order", "bill", "form", "list", "schedule", "design", "draft", "summary",
            "presentation", "receipt", "brochure", "survey", "estimate", "memo")
PRONOUN_OBJECT = ("அதை", "it", "it-OBJ")
RECIPIENTS = ("manager", "client", "team", "director")
MANNERS = {"quickly": ("விரைவாக", "quickly"), "carefully": ("கவனமாக", "carefully"), "immediately": ("உடனே", "immediately")}
# connector key -> (Tamil tokens, English, gloss per token). "and then" is அதன் பிறகு ("after that"): a bare பிறகு
# between clauses reads as colloquial shorthand.
CONNECTORS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "then": (("அதன்", "பிறகு"), "and then", ("that-of", "after")),
    "but": (("ஆனால்",), "but", ("but",)),
    "so": (("அதனால்",), "so", ("so",)),
}
QUESTION_CONNECTORS = ("but", "so")  # "... so can you check it" reads well; "... and then can you" does not
# The open classes, in English: each a word the translation must carry over unchanged.
NAMES, CITIES, HOURS = tuple(NAME_FORMS), tuple(CITY_FORMS), tuple(HOUR_WORDS)


def object_token(noun: str) -> str:
    return f"{noun}-ஐ"


def recipient_token(noun: str) -> str:
    return f"{noun}-க்கு"


def _gloss_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for inf, past, fut, base, past_en, _ in VERBS.values():
        table[inf] = f"to-{base}"
        for person, p, f in zip(PERSONS, past, fut, strict=True):
            who = SUBJECTS[person][1]
            table[p] = f"{past_en}-{who}"
            table[f] = f"will-{base}-{who}"
        table[third_person(past[0])] = f"{past_en}-he/she"
        table[third_person(fut[0])] = f"will-{base}-he/she"
    for tok, en in SUBJECTS.values():
        table[tok] = en
    for key, name in NAME_FORMS.items():
        table[name] = key.capitalize()
        table[name_with_case(name, "dat")] = f"{key.capitalize()}-to"
        table[name_with_case(name, "soc")] = f"{key.capitalize()}-with"
    for key, tok in HOUR_WORDS.items():
        table[tok] = key
    table[AT_HOUR[0]] = AT_HOUR[1]
    for _, _, modal, gl in KINDS.values():
        if modal:
            table[modal] = gl
    for toks, _, gls, _ in TIMES.values():
        table.update(zip(toks, gls, strict=True))
    for tok, _, gl in PLACES.values():
        table[tok] = gl
    for tok, _, gl in DETERMINERS.values():
        table[tok] = gl
    for tok, en in (*ADJ_OPINION.values(), *ADJ_AGE.values()):
        table[tok] = en
    for noun in OBJECTS:
        table[object_token(noun)] = f"{noun}-OBJ"
    table[PRONOUN_OBJECT[0]] = PRONOUN_OBJECT[2]
    for noun in RECIPIENTS:
        table[recipient_token(noun)] = f"{noun}-to"
    for tok, en in MANNERS.values():
        table[tok] = en
    for toks, _, gls in CONNECTORS.values():
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
    words: set[str] = {"can", "you", "must", "should", "will", "to", "and", "then", "but", "so", "it", "with", "at"}
    words |= set(NAME_FORMS) | set(HOUR_WORDS)
    for _, _, _, base, past_en, _ in VERBS.values():
        words |= {base, past_en}
    words |= {en.lower() for _, en in SUBJECTS.values()}
    for _, en, _, _ in TIMES.values():
        words |= set(en.split())
    for _, en, _ in PLACES.values():
        words |= set(en.split())
    words |= {en for _, en, _ in DETERMINERS.values()}
    words |= {en for _, en in (*ADJ_OPINION.values(), *ADJ_AGE.values(), *MANNERS.values())}
    words |= set(OBJECTS) | set(RECIPIENTS)
    return sorted(words)



def in_vocabulary(token: str) -> bool:
    """Whether the Tamil token is one the grammar can produce."""
    return token in _GLOSS
