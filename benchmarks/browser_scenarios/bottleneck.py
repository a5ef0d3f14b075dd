"""Bottleneck page: the spectral-radius slider, one arrow key at a time (a step of 0.05); the influence curve and
its sentence are redrawn. Both values are computed during the warm-up, so the timed presses take the cached path."""

from benchmarks.browser_scenarios import step_slider


def spectral_radius(page, i: int) -> None:
    step_slider(page, "Spectral radius", i)


SCENARIOS = {"slider: spectral radius": spectral_radius}
