"""Guess first, for every page that shows a query's row of weights: the switch (kept in the URL as guess=1), the
question, the record of guesses and the session's tally, and the marks on the charts. Pages call `switch`, then
`ask` for the row in view; while `ask` returns None the page draws the row hidden (lessons.guess.hide_row) and leaves
out everything that would give it away."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import streamlit as st

from classroom import Question as PollQuestion
from lessons.guess import Tally, is_right, top_keys

from .class_poll_ui import ask_button
from .figures.base import SpecFigure, with_shapes
from .figures.palette import FRAME
from .state import publish, url_toggle, word_index, word_param
from .texts import guess as text

RECORD = "guess_record"  # {(page prefix, context): key index guessed}; one session's guesses
TALLY = "guess_tally"  # Tally over every page of the session
SOURCES = {"sa": "Self-attention", "mh": "Multi-head", "ro": "Reordering"}  # where a class poll was asked from


class Guess(NamedTuple):
    pick: int  # the key the learner chose
    right: bool


def switch(prefix: str) -> bool:
    """The "Guess first" toggle of a page (session key <prefix>_guess), seeded from and mirrored to ?guess=1."""
    return url_toggle(text.SWITCH, f"{prefix}_guess", "guess", help=text.SWITCH_HELP)


def row_ui(prefix: str, words: Sequence[str], label: str) -> int:
    """For a page with no word picker of its own: which row to guess for, seeded from and mirrored to ?word=."""
    key = f"{prefix}_guess_row"
    if key not in st.session_state or st.session_state.get(f"{key}_for") != tuple(words):
        from_url = word_index(list(words), st.query_params["word"]) if "word" in st.query_params else None
        st.session_state[key] = from_url or 0
        st.session_state[f"{key}_for"] = tuple(words)
    i = int(st.selectbox(label, range(len(words)), format_func=lambda j: f"{words[j]}  (#{j + 1})", key=key))
    publish(word=word_param(list(words), i))
    return i


def tally() -> Tally:
    return st.session_state.get(TALLY, Tally())


def _widget_key(prefix: str, context: tuple) -> str:
    # a fresh question widget per context, so a new sentence or word starts with nothing picked
    return f"{prefix}_guess_pick_{hashlib.sha1(repr(context).encode()).hexdigest()[:12]}"


def _record(done: tuple, row: np.ndarray, key: str) -> None:
    # the question's on_change: counted before the page reruns, so the page reveals the row in that same run
    pick = st.session_state.get(key)
    record = st.session_state.setdefault(RECORD, {})
    if pick is None or done in record:
        return
    record[done] = Guess(int(pick), is_right(row, int(pick)))
    st.session_state[TALLY] = tally().add(record[done].right)


def ask(prefix: str, context: tuple, row: np.ndarray, labels: Sequence[str], word: str,
        choices: Sequence[int] | None = None, where: str = "") -> Guess | None:
    """The question for this row (context: everything that decides the row, e.g. sentence, word, settings), and the
    learner's guess, or None while there is none: then the page keeps the row hidden. After the guess the question
    stays, answered and locked. A guess is counted once in the session's tally."""
    done = (prefix, context)
    guessed = st.session_state.get(RECORD, {}).get(done)
    key = _widget_key(prefix, context)
    if guessed is not None:
        st.session_state[key] = guessed.pick  # a locked question still shows the learner's pick
    options = list(range(len(labels)) if choices is None else choices)
    st.pills(text.question(word, where), options, format_func=lambda j: labels[j], key=key,
             on_change=_record, args=(done, np.array(row), key), disabled=guessed is not None, width="stretch", wrap=True)
    if guessed is None:
        st.caption(text.hidden_note(word))
    ask_button(PollQuestion(text.poll_prompt(word, where), tuple(labels[j] for j in options),
                            int(np.argmax([row[j] for j in options])), SOURCES.get(prefix, ""),
                            text.POLL_NOTE, tuple(float(row[j]) for j in options)), key=f"{key}_class")
    return guessed


def verdict(guess: Guess, row: np.ndarray, labels: Sequence[str], word: str) -> str:
    """The revealed row's verdict with the session's tally, as Markdown."""
    top = top_keys(row)
    t = tally()
    return text.verdict(word, labels[guess.pick], float(row[guess.pick]), [labels[j] for j in top],
                        float(row[top[0]]), guess.right, t.right, t.total)


def mark_cell(fig: SpecFigure, row: int, col: int, axis: str = "") -> SpecFigure:
    """A dashed box around the guessed cell of a heatmap at (row, col) on its axes (axis "" for the first pair of
    axes, "2" for the second...)."""
    return with_shapes(fig, [dict(
        type="rect", xref=f"x{axis}", yref=f"y{axis}", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
        line=dict(color=FRAME, width=3, dash="dash"))])


def mark_bar(fig: SpecFigure, index: int) -> SpecFigure:
    """A dashed box around the guessed bar of a horizontal bar chart whose bars sit at y = 0, 1, ..."""
    return with_shapes(fig, [dict(
        type="rect", xref="x domain", yref="y", x0=0, x1=1, y0=index - 0.5, y1=index + 0.5,
        line=dict(color=FRAME, width=2, dash="dash"))])
