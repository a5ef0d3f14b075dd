"""Multi-head page: the word to follow, chosen with the keyboard in its select box; every head's row for that word
is redrawn."""

from benchmarks.browser_scenarios import step_selectbox


def word(page, i: int) -> None:
    step_selectbox(page, "Word to follow", i)


SCENARIOS = {"select: word to follow": word}
