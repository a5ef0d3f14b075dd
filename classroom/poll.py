"""The class poll's rules: what a poll asks, its code and its teacher key, and the tally of a round.

A poll is one multiple-choice question (a guess-first challenge: "which word does *it* look at most?", a Lesson
step, a Quiz question) asked of a class in rounds. Students answer by class code; the teacher's controls need the
teacher key, which only the teacher's session (and a teacher link) holds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

# Letters a teacher can read aloud and a student cannot mistype: no vowels (no words), none of I/L/O/0/1 look-alikes.
CODE_ALPHABET = "BCDFGHJKMNPQRSTVWXZ"
CODE_LENGTH = 4
MAX_OPTIONS = 40
MAX_TEXT = 600  # characters of a prompt, an option or a note

STATES = ("open", "closed", "revealed")


class PollError(ValueError):
    """A poll request that cannot be done, with a message a person can read."""


class Question(NamedTuple):
    """What the class is asked. `answer`: the index of the right option, or -1 when there is none (an opinion)."""

    prompt: str
    options: tuple[str, ...]
    answer: int = -1
    source: str = ""  # where it was asked from ("Self-attention", "Quiz · Speed") for the projector's heading
    note: str = ""  # shown beside the answer once revealed (the model's row, the quiz's explanation)
    shares: tuple[float, ...] = ()  # the model's own numbers per option (its attention row), shown on reveal


class Poll(NamedTuple):
    code: str
    question: Question
    state: str  # one of STATES
    round: int  # 1, 2, ... ("Ask again" opens the next)
    created: float  # time.time()
    expires: float


def new_code(taken=lambda code: False) -> str:
    """A fresh class code: CODE_LENGTH letters of CODE_ALPHABET, not one `taken` says is in use."""
    for _ in range(1000):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code
    raise PollError("no free class code could be found; end an old poll and try again")


def normalize_code(text: object) -> str:
    """What a student typed ("  bc-df ", "ＢＣＤＦ") -> "BCDF"; raises PollError when it cannot be a class code."""
    if not isinstance(text, str):
        raise PollError("A class code is four letters, like BCDF.")
    cleaned = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if not ch.isspace() and ch != "-")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        shown = cleaned[:12] + ("…" if len(cleaned) > 12 else "")
        raise PollError(f"“{shown}” is not a class code: a class code is {CODE_LENGTH} letters from "
                        f"{CODE_ALPHABET}, like BCDF.")
    return cleaned


def new_teacher_key() -> str:
    return secrets.token_urlsafe(18)


def key_digest(key: str) -> str:
    """What the store keeps of a teacher key: its SHA-256, so a copy of the database opens no poll."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: object, digest: str) -> bool:
    """Whether `key` is the teacher key of the poll whose key digest is `digest`, compared in constant time."""
    if not isinstance(key, str) or not key:
        return False
    return hmac.compare_digest(key_digest(key), digest)


def distinct(options: Sequence[str]) -> tuple[str, ...]:
    """Options as a student can tell them apart: a repeated word gets its occurrence ("the", "the (2)")."""
    seen: dict[str, int] = {}
    out = []
    for o in options:
        seen[o] = seen.get(o, 0) + 1
        out.append(o if seen[o] == 1 else f"{o} ({seen[o]})")
    return tuple(out)


def checked_question(q: Question) -> Question:
    """The question as it will be stored; raises PollError when it cannot be asked (no options, too many, …)."""
    options = distinct([str(o)[:MAX_TEXT] for o in q.options])
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise PollError(f"a poll needs 2 to {MAX_OPTIONS} options, this one has {len(options)}")
    if not -1 <= int(q.answer) < len(options):
        raise PollError(f"the right answer {q.answer} is not one of the {len(options)} options")
    shares = tuple(float(s) for s in q.shares)
    if shares and (len(shares) != len(options) or not all(0.0 <= s <= 1.0 for s in shares)):
        raise PollError("the model's shares must give one number between 0 and 1 per option")
    return Question(str(q.prompt)[:MAX_TEXT], options, int(q.answer), str(q.source)[:MAX_TEXT], str(q.note)[:MAX_TEXT],
                    shares)


def tally(choices: Sequence[int], n_options: int) -> list[int]:
    """How many answered each option: [n_options] counts (answers outside the options are not counted)."""
    counts = [0] * n_options
    for c in choices:
        if 0 <= c < n_options:
            counts[c] += 1
    return counts
