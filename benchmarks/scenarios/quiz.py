"""Quiz page. RERUN: choose an option, type an answer, check it (then start over), jump between questions, switch
topic. BROWSER: the topic (the list of questions and the tally are redrawn) and Next question / Previous (another
question card), with the keyboard."""

from benchmarks import keyboard
from lessons.quiz import TOPICS, question_bank

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

TOPIC_CYCLE = ("all", *TOPICS)
FIRST = question_bank()[0].id  # a multiple-choice question, shown when the page opens
NUMERIC = next(i for i, q in enumerate(question_bank()) if q.kind == "number")


def pick_option(at, i: int) -> None:
    at.radio(key=f"qz_in_{FIRST}").set_value(i % 4)


def type_answer(at, i: int) -> None:
    qid = question_bank()[NUMERIC].id
    if any(w.key == f"qz_in_{qid}" for w in at.text_input):
        at.text_input(key=f"qz_in_{qid}").input(str(1000 + i))
    else:  # first call (a warm-up): go to the numeric question
        at.pills(key="qz_jump").set_value(NUMERIC)


def check_then_start_over(at, i: int) -> None:
    # even: choose and check (the card turns into feedback); odd: forget everything again
    if i % 2 == 0:
        at.radio(key=f"qz_in_{FIRST}").set_value(1)
        at.button(key=f"qz_check_{FIRST}").click()
    else:
        at.button(key="qz_reset").click()


def jump(at, i: int) -> None:
    at.pills(key="qz_jump").set_value((3 * i + 1) % len(question_bank()))


def switch_topic(at, i: int) -> None:
    at.selectbox(key="qz_topic").set_value(TOPIC_CYCLE[(i + 1) % len(TOPIC_CYCLE)])


RERUN = {
    "radio: pick an option": pick_option,
    "text: type an answer": type_answer,
    "button: check, then start over": check_then_start_over,
    "pills: go to question": jump,
    "select: topic": switch_topic,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------


def topic(page, i: int) -> None:
    keyboard.step_selectbox(page, "Questions on", i)


def next_previous(page, i: int) -> None:
    keyboard.press_button(page, "qz_next" if i % 2 == 0 else "qz_prev")


BROWSER = {"select: topic": topic, "button: next question / previous": next_previous}
