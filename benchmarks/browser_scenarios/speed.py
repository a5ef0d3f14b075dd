"""Speed page: the P-workers slider, one arrow key at a time. It redraws the workers model and its sentence without
measuring again; the page opens with a small n so the one measurement it makes on arrival is short."""

from benchmarks.browser_scenarios import step_slider

QUERY = "n=512&d=64"


def workers(page, i: int) -> None:
    step_slider(page, "P, the number of workers", i)


SCENARIOS = {"slider: workers P": workers}
