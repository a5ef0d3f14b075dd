"""The class poll under AppTest: a teacher asks the class from a guess-first challenge, a Lesson step and a Quiz
question; students join by code and answer; the projector counts them, reveals the model's row, asks again; a
student sees no teacher control and a bad code gets a clear message. The numbers shown are the store's, and the
revealed row is the model's, read directly."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from classroom import Question
from playground import class_poll_ui
from playground.texts import class_poll as text
from tests.app.conftest import all_text, open_page
from tests.app.test_self_attention import expected

PAGE = "pages/class_poll.py"
CAT = "The cat sat on the mat because it was tired"
CONTROL_KEYS = ("cp_close", "cp_open", "cp_reveal", "cp_again", "cp_end")


def ask_from_self_attention():
    at = open_page("pages/self_attention.py", {"guess": "1", "text": CAT, "word": "it"})
    [key] = [b.key for b in at.button if b.key and b.key.endswith("_class")]
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [text.TITLE]
    code = at.session_state["cp_code"]
    at.switch_page(PAGE).run()  # AppTest stays on the page it ran; a browser is now on the poll's page
    return at, code


def student(code: str):
    at = open_page(PAGE, {"code": code.lower()})  # typed in lower case: still the class's code
    assert not at.exception
    return at


def pick(at, code: str, round_: int, option: str):
    pills = at.button_group(key=f"cp_pick_{code}_{round_}")
    pills.set_value(pills.options.index(option) if isinstance(pills.options[0], str) else
                    [o for o in pills.options].index(option)).run()


def bars(at) -> dict[str, list[float]]:
    [spec] = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id.endswith("-cp_bars")]
    return {t["name"]: t["x"] for t in spec["data"]}, spec


def test_a_teacher_asks_students_answer_the_projector_counts_and_reveals_the_model():
    teacher, code = ask_from_self_attention()
    poll = class_poll_ui.store().get(code, time.time())
    tokens, res = expected(CAT)  # the page's settings, computed directly with attention_core
    row = res.weights[tokens.index("it")]
    assert poll.question.options == tuple(tokens) and poll.question.source == "Self-attention"
    np.testing.assert_allclose(poll.question.shares, row, atol=1e-9)
    assert poll.question.answer == int(np.argmax(row))
    shown = all_text(teacher)
    assert "`it`" in shown and text.answered(0) in shown and all(k in [b.key for b in teacher.button] for k in CONTROL_KEYS)
    assert " ".join(code) in "".join(str(h.proto.body) for h in teacher.get("html"))  # the code, large

    students = [student(code) for _ in range(3)]
    for s, word in zip(students, ("cat", "cat", "mat")):
        opts = s.button_group(key=f"cp_pick_{code}_1").options
        s.button_group(key=f"cp_pick_{code}_1").set_value(list(tokens).index(word)).run()
        assert text.your_answer(word) in all_text(s), opts
        assert not any(b.key in CONTROL_KEYS for b in s.button)  # a student never sees a teacher control
    students[2].button_group(key=f"cp_pick_{code}_1").set_value(tokens.index("cat")).run()  # changed their mind
    assert class_poll_ui.store().counts(code, 1)[tokens.index("cat")] == 3

    teacher.run()
    assert text.answered(3) in all_text(teacher)
    traces, _ = bars(teacher)
    assert traces == {"round 1 (3 answers)": [1.0 if t == "cat" and i == tokens.index("cat") else 0.0
                                               for i, t in enumerate(tokens)]}
    teacher.button(key="cp_reveal").click().run()
    traces, spec = bars(teacher)
    np.testing.assert_allclose(traces["the model's attention"], row, atol=1e-9)
    assert "✓" in spec["layout"]["yaxis"]["ticktext"][poll.question.answer]
    assert text.revealed(tokens, poll.question.answer, class_poll_ui.store().counts(code, 1), poll.question.note) \
        in all_text(teacher)
    students[0].run()
    assert students[0].success  # students see the answer once it is revealed

    teacher.button(key="cp_again").click().run()  # round 2: the discussion, then everyone answers again
    students[0].run()  # in a browser the view refreshes itself every few seconds
    students[0].button_group(key=f"cp_pick_{code}_2").set_value(tokens.index("mat")).run()
    teacher.run()
    traces, _ = bars(teacher)
    assert list(traces) == ["round 1 (3 answers)", "round 2 (1 answers)"]
    csv = class_poll_ui.answers_csv(class_poll_ui.store().get(code, time.time()),
                                    [class_poll_ui.store().counts(code, r) for r in (1, 2)])
    assert csv.splitlines()[0] == "option,round 1,round 2,right answer" and "2:cat,3,0" in csv


def test_a_closed_round_takes_no_answer_and_the_end_clears_the_poll():
    teacher, code = ask_from_self_attention()
    s = student(code)
    teacher.button(key="cp_close").click().run()
    s.run()
    assert s.button_group(key=f"cp_pick_{code}_1").disabled
    assert text.student_prompt(False) in all_text(s) or "closed" in all_text(s)
    teacher.button(key="cp_end").click().run()
    assert class_poll_ui.store().get(code, time.time()) is None
    s.run()
    assert text.ENDED in all_text(s) or f"There is no class poll {code}: it has ended" in all_text(s)


@pytest.mark.parametrize("code", ["ZZZZ", "not a code", "<script>", "12", "BCDFG" * 30])
def test_an_unknown_or_malformed_code_gets_a_clear_message(code):
    at = open_page(PAGE, {"code": code})
    assert not at.exception
    shown = all_text(at)
    assert at.warning and ("is not a class code" in shown or "There is no class poll" in shown)
    assert text.NO_POLL in shown and at.text_input(key="cp_join_page") is not None
    assert "<script>" not in "".join(str(h.proto.body) for h in at.get("html"))


def test_the_join_field_opens_the_poll_and_refuses_nonsense():
    poll, _ = class_poll_ui.store().create(Question("Pick one", ("yes", "no")), time.time())
    at = open_page("pages/home.py")
    at.text_input(key="cp_join").input(f" {poll.code.lower()} ").run()
    assert [t.value for t in at.title] == [text.TITLE] and "Pick one" in all_text(at)
    at.text_input(key="cp_join").input("hello").run()
    assert any("is not a class code" in e.value for e in at.error)


def test_a_lesson_step_and_a_quiz_question_can_be_polled():
    lesson = open_page("pages/lesson.py", {"step": "5"})
    lesson.button(key="ls_class_counts").click().run()
    code = lesson.session_state["cp_code"]
    q = class_poll_ui.store().get(code, time.time()).question
    assert q.source.startswith("the Lesson") and q.options[q.answer] == "n = 64"
    quiz = open_page("pages/quiz.py")
    key = next(b.key for b in quiz.button if b.key and b.key.startswith("qz_class_"))
    quiz.button(key=key).click().run()
    q = class_poll_ui.store().get(quiz.session_state["cp_code"], time.time()).question
    assert q.source.startswith("the Quiz") and len(q.options) >= 2 and 0 <= q.answer < len(q.options)


def test_a_teacher_link_gives_control_and_leaves_the_address_bar():
    poll, key = class_poll_ui.store().create(Question("Pick one", ("yes", "no")), time.time())
    other = open_page(PAGE, {"code": poll.code, "key": key})  # the teacher's phone
    assert "key" not in other.query_params and "cp_reveal" in [b.key for b in other.button]
    intruder = open_page(PAGE, {"code": poll.code, "key": "guessed"})
    assert "cp_reveal" not in [b.key for b in intruder.button] and "key" not in intruder.query_params
