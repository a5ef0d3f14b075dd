"""Prose of "Guess first", shared by every page that offers it."""

from __future__ import annotations

from ..formatting import pct, quoted

SWITCH = "Guess first"
SWITCH_HELP = ("Hide where the chosen word looks until you have said where you think it looks most; then compare. "
               "A link with guess=1 opens the page in this mode.")


POLL_NOTE = "The red bars are the model's real attention row: how much it gives each word."


def poll_prompt(word: str, where: str = "") -> str:
    """The guess-first question as the class sees it on their screens and on the projector."""
    return f"Which word will {quoted(word)} look at most{where}?"


def question(word: str, where: str = "") -> str:
    return f"Which word will {quoted(word)} look at most{where}? Pick one to reveal its row."


def hidden_note(word: str) -> str:
    return (f"The row of {quoted(word)} is hidden, and so is everything that would give it away (its bars, "
            "its numbers, the notes below), until you guess.")


def tally_line(right: int, total: int) -> str:
    return f"{right} of {total} right" if total else "no guesses yet"


def verdict(word: str, guess: str, guess_weight: float, top: list[str], top_weight: float, right: bool,
            right_so_far: int, total: int) -> str:
    """What the learner sees once the row is revealed: their guess, the real favourite, and the running tally."""
    best = " and ".join(f"{quoted(t)}" for t in top)
    if right:
        head = (f"**Right:** {quoted(word)} looks most at {best} ({pct(top_weight)}), as you guessed "
                "(it is marked with a dashed box).")
    else:
        head = (f"**Not this time:** you guessed {quoted(guess)} ({pct(guess_weight)}, dashed box), but "
                f"{quoted(word)} looks most at {best} ({pct(top_weight)}).")
    return f"{head} This session: {tally_line(right_so_far, total)}."
