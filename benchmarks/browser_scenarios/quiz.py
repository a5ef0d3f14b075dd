"""Quiz page: the topic (the list of questions and the tally are redrawn) and Next question / Previous (another
question card), with the keyboard."""

from benchmarks.browser_scenarios import press_button, step_selectbox


def topic(page, i: int) -> None:
    step_selectbox(page, "Questions on", i)


def next_previous(page, i: int) -> None:
    press_button(page, "qz_next" if i % 2 == 0 else "qz_prev")


SCENARIOS = {"select: topic": topic, "button: next question / previous": next_previous}
