"""Lesson page: Next through every step, then Back to the first (each press draws another demo's figure), pressed
with Enter on the buttons at the bottom, as a class walks through it."""

from benchmarks.browser_scenarios import press_button
from lessons.lesson_steps import STEPS


def walk(page, i: int) -> None:
    lap = i % (2 * (len(STEPS) - 1))
    press_button(page, "ls_next_bottom" if lap < len(STEPS) - 1 else "ls_back_bottom")


SCENARIOS = {"button: next / back through the steps": walk}
