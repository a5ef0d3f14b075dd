"""The quiz page's sentences, formatted from the learner's score and answers.

A learner's typed answer reaches a sentence only through `quoted` (code style), so Markdown in it shows as typed.
"""

from __future__ import annotations

from ..formatting import pct, quoted

DOC = "ATTENTION_MATH_DEEP_DIVE.md"


def every_topic(count: int) -> str:
    return f"every topic ({count} questions)"


def progress(done: int, total: int, right: int) -> str:
    return f"{done} of {total} answered · score {right} / {total}"


def question_heading(position: int, count: int, topic_label: str) -> str:
    """position counts from 0."""
    return f"**Question {position + 1} of {count}** · {topic_label}"


def shorten(typed: str, n: int = 24) -> str:
    return typed if len(typed) <= n else typed[: n - 1] + "…"


def not_taken(typed: str, reason: str) -> str:
    """Why an answer was not checked: the reason, after what was typed (if anything)."""
    return f"{quoted(shorten(typed))}: {reason}" if typed else reason


def skipped(answer: str) -> str:
    return f"Skipped. The answer: **{answer}**"


def right(given: str) -> str:
    return f"Your answer {quoted(given)}: right."


def wrong(given: str, message: str) -> str:
    return f"Your answer {quoted(given)}: {message[0].lower()}{message[1:]}"


def revisit_demo(title: str) -> str:
    return f"Revisit the demo: {title}"


def section_pointer(title: str, anchor: str) -> str:
    return f"The math: `{DOC}`, section “{title}” (`#{anchor}`)"


def still_open(open_count: int, total: int) -> str:
    return (f"{open_count} of {total} questions are still open (no mark in the row of numbers above). Answer or skip "
            "them to see your result here.")


def result(right_count: int, total: int) -> str:
    return f"You got **{right_count} of {total}** right ({pct(right_count / total)})."
