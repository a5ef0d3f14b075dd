"""The Lesson page under AppTest: every step renders its figure and its question, the answers are the numbers the
figures show, predict steps hide their row until answered, the step lives in the URL, bad step values fall back."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lessons.lesson_steps import STEPS, bucket, parse_step
from playground.texts import lesson as text
from tests.app.conftest import open_page
from tests.app.test_self_attention import ANIMAL, REPORT, array
from tests.app.test_self_attention import expected as sa_expected

PAGE = "pages/lesson.py"


def at_step(step: str):
    return open_page(PAGE, {"step": step})


def charts(at) -> dict[str, dict]:
    return {e.proto.id.rsplit("-", 1)[-1]: json.loads(e.proto.spec) for e in at.get("plotly_chart")}


def question(at, slug: str):
    return at.button_group(key=f"ls_answer_{slug}")


def step_param(at) -> str:
    value = at.query_params["step"]
    return value[0] if isinstance(value, list) else value


def test_parse_step_falls_back_safely():
    assert [parse_step(v, 12) for v in ("1", "4", " 12 ", "0", "-3", "99")] == [0, 3, 11, 0, 0, 11]
    assert [parse_step(v, 12) for v in ("", "abc", "4.5", None, "1e9", "٣")] == [0, 0, 0, 0, 0, 2]
    assert [bucket(p, 20) for p in (0, 6, 7, 13, 14, 19)] == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_every_step_renders_its_figure_and_question_and_checks_the_answer(number):
    at = at_step(str(number))
    step = STEPS[number - 1]
    assert at.header[0].value == text.progress(number - 1, len(STEPS), text.STEP_TITLES[step.slug])
    assert step_param(at) == str(number)
    assert any(k.startswith(f"ls_{step.slug}_") for k in charts(at))
    q = question(at, step.slug)
    assert q.value is None and len(q.options) >= 3 and not at.success and not at.error
    # a wrong answer says which is right; the right one is praised; neither raises
    praised = []
    for pick in range(len(q.options)):
        question(at, step.slug).set_value(pick).run()
        assert not at.exception
        assert len(at.success) + len(at.error) == 1
        praised += [pick] if at.success else []
    assert len(praised) == 1 and "Right." in (question(at, step.slug).set_value(praised[0]).run().success[0].value)


@pytest.mark.parametrize(("number", "sentence", "word"), [(7, REPORT, "ready"), (8, ANIMAL, "it")])
def test_predict_steps_hide_the_row_then_reveal_the_library_weights(number, sentence, word):
    at = at_step(str(number))
    slug = STEPS[number - 1].slug
    tokens, res = sa_expected(sentence)
    q = tokens.index(word)
    z = array(charts(at)[f"ls_{slug}_fig"]["data"][0]["z"])
    assert np.isnan(z[q]).all() and np.allclose(np.delete(z, q, 0), np.delete(res.weights, q, 0), atol=1e-12)
    assert f"ls_{slug}_bar" not in charts(at)
    top = int(np.argmax(res.weights[q]))
    assert question(at, slug).options[top] == tokens[top]
    question(at, slug).set_value(top).run()
    assert np.allclose(array(charts(at)[f"ls_{slug}_fig"]["data"][0]["z"]), res.weights, atol=1e-12)
    assert np.allclose(np.asarray(charts(at)[f"ls_{slug}_bar"]["data"][0]["x"], float), res.weights[q], atol=1e-12)
    assert f"{100 * res.weights[q, top]:.0f}%" in at.success[0].value


def test_url_step_4_opens_step_4_and_next_back_move_and_publish():
    at = at_step("4")
    assert at.header[0].value.startswith(f"Step 4 of {len(STEPS)}")
    at.button(key="ls_next_bottom").click().run()
    assert at.header[0].value.startswith("Step 5 ") and step_param(at) == "5"
    at.button(key="ls_back_top").click().run()
    at.button(key="ls_back_top").click().run()
    assert at.header[0].value.startswith("Step 3 ") and step_param(at) == "3"


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "", "2.5", "%00"])
def test_bad_step_values_open_step_1(bad):
    at = at_step(bad)
    assert at.header[0].value.startswith("Step 1 ") and step_param(at) == "1"
    assert at.button(key="ls_back_top").disabled


def test_past_the_end_opens_the_last_step_and_next_is_off():
    at = at_step("999")
    assert at.header[0].value.startswith(f"Step {len(STEPS)} ") and at.button(key="ls_next_bottom").disabled


def test_the_first_answer_counts_and_a_change_is_shown_as_a_retry():
    step = next(i for i, s in enumerate(STEPS) if s.slug == "counts") + 1
    at = at_step(str(step))
    q = question(at, "counts")
    wrong = next(i for i, o in enumerate(q.options) if o == "never")
    right = q.options.index("n = 64")
    question(at, "counts").set_value(wrong).run()
    assert at.error and not at.info
    question(at, "counts").set_value(right).run()
    assert at.success and "Right." in at.success[0].value
    assert at.info[0].value == text.retry("never", first_right=False)  # the flip to "Right." is marked as a retry
    question(at, "counts").set_value(wrong).run()
    assert at.info[0].value == text.retry("never", first_right=False)


def test_the_counts_step_asks_where_the_counts_are_equal():
    from lessons.speed import attention_costs, rnn_costs

    at = at_step(str(next(i for i, s in enumerate(STEPS) if s.slug == "counts") + 1))
    q = question(at, "counts")
    assert "the same number of multiply-adds" in q.label
    assert attention_costs(64, 64).multiply_adds == rnn_costs(64, 64).multiply_adds
    question(at, "counts").set_value(q.options.index("n = 64")).run()
    assert at.success
