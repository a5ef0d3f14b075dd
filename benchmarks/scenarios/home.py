"""Home page: one shelf score, dragged (RERUN) or one arrow key at a time (BROWSER)."""

from benchmarks import keyboard

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

SCORES = (-2.0, 0.0, 2.5, 4.0)


def drag_score(at, i: int) -> None:
    at.slider(key="home_score_Cooking").set_value(SCORES[i % len(SCORES)])


RERUN = {"slider: shelf score": drag_score}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------


def shelf_score(page, i: int) -> None:
    keyboard.step_slider(page, "Match score for the 'Cooking' shelf", i)


BROWSER = {"slider: shelf score": shelf_score}
