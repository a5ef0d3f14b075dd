"""Self-attention page: the temperature slider, one arrow key at a time (0.1); the heatmap, the query's bar chart
and the caption are redrawn."""

from benchmarks.browser_scenarios import step_slider


def temperature(page, i: int) -> None:
    step_slider(page, "Temperature", i)


SCENARIOS = {"slider: temperature": temperature}
