"""Lesson page: walking the steps (each click of Next or Back draws another demo's figure from the cached work) and
answering a question (a predict step reveals its row and adds the bar chart). In the browser: Next through every
step, then Back to the first, pressed with Enter on the buttons at the bottom, as a class walks through it."""

from benchmarks import keyboard
from lessons.lesson_steps import STEPS

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------


def walk(at, i: int) -> None:
    # forward through every step, then back: each rerun draws a different step
    lap = i % (2 * (len(STEPS) - 1))
    at.button(key="ls_next_bottom" if lap < len(STEPS) - 1 else "ls_back_bottom").click()


def answer(at, i: int) -> None:
    # step 7 (a predict step): alternate between the words, revealing and re-checking the row
    if i == 0:
        at.session_state["ls_step"] = 6
        at.run()
    at.button_group(key="ls_answer_ready").set_value(i % 12)


RERUN = {
    "button: next / back through all steps": walk,
    "pills: answer a predict step": answer,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------


def walk_with_enter(page, i: int) -> None:
    lap = i % (2 * (len(STEPS) - 1))
    keyboard.press_button(page, "ls_next_bottom" if lap < len(STEPS) - 1 else "ls_back_bottom")


BROWSER = {"button: next / back through the steps": walk_with_enter}
