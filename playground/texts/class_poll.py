"""The class poll's prose: the page's story, the projector's lines, the students' lines and every message."""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..formatting import pct, quoted

TITLE = "Class poll: the whole room answers"
INTRO = (
    "Ask, let everyone answer, talk to a neighbour, answer again, then reveal: a class that commits to a guess "
    "before seeing the answer remembers it. A teacher starts a poll with **Ask the class** under any guess-first "
    "question (Self-attention, Multi-head, Reordering), any Lesson question or any multiple-choice Quiz question; "
    "this page then shows the class code for the projector and the answers as they arrive. Students join with the "
    "code: no names, no accounts, one answer per browser, which they may change until the poll closes."
)
ASK_BUTTON = "Ask the class"
ASK_HELP = ("Start a class poll on this question: students answer on their own screens with a four-letter code, "
            "and the projector shows their answers as they arrive.")
JOIN_LABEL = "Join a class"
JOIN_PLACEHOLDER = "code, e.g. BCDF"
JOIN_HELP = "The four letters your teacher shows on the projector."
NO_POLL = ("No class poll is open in this browser. Type the code your teacher shows to join one; teachers start a "
           "poll with **Ask the class** under a guess-first, Lesson or Quiz question.")
ENDED = "This poll has ended."
TEACHER_LINK_TITLE = "Teacher link (keep it off the projector)"
STATE_NAMES = {"open": "open: answers are coming in", "closed": "closed: no more answers this round",
               "revealed": "answer revealed"}
CONTROLS = {"close": "Close answers", "open": "Reopen answers", "reveal": "Reveal the answer",
            "again": "Ask again", "end": "End the poll"}
CSV_LABEL = "Download the answers (CSV)"


def code_banner(code: str, join_url: str) -> str:
    spaced = html.escape(" ".join(code))  # the code's letters are the poll's alphabet; escaped all the same
    return (f"<div style='text-align:center'><div style='font-size:1.1rem'>Join at <b>{html.escape(join_url)}</b> "
            "or type the "
            f"code under <i>Join a class</i> in the sidebar</div><div style='font-size:5rem;font-weight:700;"
            f"letter-spacing:0.5rem;line-height:1.2'>{spaced}</div></div>")


def heading(source: str, round_: int, state: str) -> str:
    where = f"From {source} · " if source else ""
    return f"{where}round {round_} · {STATE_NAMES.get(state, state)}"


def answered(count: int) -> str:
    return f"**{count}** {'student has' if count == 1 else 'students have'} answered this round."


def teacher_link(url: str) -> str:
    return (f"Anyone with this link controls the poll: open it on your own phone or laptop to run the poll from "
            f"there. Do not project it.\n\n`{url}`")


def revealed(options: Sequence[str], answer: int, counts: Sequence[int], note: str) -> str:
    total = sum(counts)
    if answer < 0:
        head = "There is no single right answer to this one."
    else:
        right = counts[answer] if answer < len(counts) else 0
        share = f"{pct(right / total)} of the class ({right} of {total})" if total else "nobody (no answers yet)"
        head = f"The answer is {quoted(options[answer])}: {share} chose it."
    return head + (f" {note}" if note else "")


def student_prompt(changeable: bool) -> str:
    return ("Pick your answer. You can change it until your teacher closes the round." if changeable else
            "This round is closed.")


def your_answer(option: str | None) -> str:
    return f"Your answer: {quoted(option)}." if option is not None else "You have not answered this round."


def round_compare(first: Sequence[int], last: Sequence[int], answer: int) -> str:
    """Did the discussion move the class? The right answer's share in round 1 and in the latest round."""
    if answer < 0 or not sum(first) or not sum(last):
        return ""
    a, b = first[answer] / sum(first), last[answer] / sum(last)
    moved = "up" if b > a else "down" if b < a else "unchanged"
    return f"Right answers, round 1 → latest round: {pct(a)} → {pct(b)} ({moved})."
