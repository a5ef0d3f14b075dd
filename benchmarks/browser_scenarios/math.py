"""Math deep dive page: switch the section with the keyboard in its select box; the worked example is redrawn."""

from benchmarks.browser_scenarios import step_selectbox


def section(page, i: int) -> None:
    step_selectbox(page, "Section", i)


SCENARIOS = {"select: section": section}
