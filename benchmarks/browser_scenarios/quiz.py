"""Quiz page: switch the topic with the keyboard (the same control as the AppTest scenario "select: topic");
the list of question cards and the tally are redrawn."""

from benchmarks.browser_scenarios import step_selectbox


def topic(page, i: int) -> None:
    step_selectbox(page, "Questions on", i)


SCENARIOS = {"select: topic": topic}
