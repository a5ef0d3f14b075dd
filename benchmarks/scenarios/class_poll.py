"""Class poll page. RERUN: a student picks an answer in an open poll (alternating options), on a poll made for the
run. BROWSER: with no poll open (what a student sees before joining), a code typed into the page's join field and
Enter, alternately a code of no poll and one that is not a code (the page answers each with its message)."""

import time

from benchmarks import keyboard
from playground import class_poll_ui

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

OPTIONS = ("yes", "no", "maybe")
_code: list[str] = []  # the poll this benchmark run made (one per process)


def _poll_code() -> str:
    if not _code:
        from classroom import Question

        poll, _ = class_poll_ui.store().create(Question("Ready?", OPTIONS), time.time())
        _code.append(poll.code)
    return _code[0]


def pick_answer(at, i: int) -> None:
    code = _poll_code()
    widget = f"cp_pick_{code}_1"
    if not any(w.key == widget for w in at.button_group):  # first call (a warm-up): join the poll
        at.text_input(key="cp_join").input(code)
        return
    at.button_group(key=widget).set_value(i % len(OPTIONS))


RERUN = {"pills: answer": pick_answer}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

CODES = ("ZZZZ", "hello")


def type_code(page, i: int) -> None:
    keyboard.type_and_enter(page, "cp_join_page", CODES[i % len(CODES)])


BROWSER = {"text: join code": type_code}
