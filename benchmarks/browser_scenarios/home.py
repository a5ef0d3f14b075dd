"""Home: one shelf score, one arrow key at a time (the same control as benchmarks/scenarios/home.py)."""

from benchmarks.browser_scenarios import step_slider


def shelf_score(page, i: int) -> None:
    step_slider(page, "Match score for the 'Cooking' shelf", i)


SCENARIOS = {"slider: shelf score": shelf_score}
