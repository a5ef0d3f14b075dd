"""Reordering page: the held-out source-length slider, one arrow key at a time; a new sentence is translated and its
attention heatmap redrawn. The page opens on held-out sentences of length 8 so the slider is there."""

from benchmarks.browser_scenarios import step_slider

QUERY = "src=test&len=8"


def held_out_length(page, i: int) -> None:
    step_slider(page, "Source length", i)


SCENARIOS = {"slider: held-out length": held_out_length}
