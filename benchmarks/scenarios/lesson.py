"""Lesson page: walking the steps (each click of Next or Back draws another demo's figure from the cached work) and
answering a question (a predict step reveals its row and adds the bar chart)."""

from lessons.lesson_steps import STEPS


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


SCENARIOS = {
    "button: next / back through all steps": walk,
    "pills: answer a predict step": answer,
}
