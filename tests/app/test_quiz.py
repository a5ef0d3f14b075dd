"""The quiz page under AppTest: right and wrong answers, non-numbers, skipping, answering twice, resetting, topics.

Displayed numbers (answers, explanations) are compared with attention_core computed directly in the test.
"""

import numpy as np
import pytest

from attention_core import causal_mask, scaled_dot_product_attention, softmax
from lessons.quiz import TOPICS, question_bank, question_by_id
from playground.formatting import pct
from playground.navigation import page_by_path
from playground.quiz_topics import DEMO_PAGES, TOPIC_LABELS, demo_page, section_title
from tests.app.conftest import all_text, open_page

PAGE = "pages/quiz.py"


def metrics(at) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def goto(at, qid: str) -> None:
    """Jump to question `qid` with the row of numbered pills (it must be in the current topic)."""
    topic = at.selectbox(key="qz_topic").value
    ids = [q.id for q in question_bank() if topic in ("all", q.topic)]
    if at.pills(key="qz_jump").value != ids.index(qid):
        at.pills(key="qz_jump").set_value(ids.index(qid))
        at.run()
    assert f"{question_by_id(qid).prompt}" in all_text(at)


def answer(at, qid: str, value) -> None:
    """Go to question `qid`, type or choose `value`, press Check, rerun."""
    goto(at, qid)
    q = question_by_id(qid)
    if q.kind == "choice":
        at.radio(key=f"qz_in_{qid}").set_value(value)
    else:
        at.text_input(key=f"qz_in_{qid}").input(value)
    at.button(key=f"qz_check_{qid}").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def inputs_of(at, qid: str) -> int:
    return sum(1 for w in (*at.radio, *at.text_input) if w.key == f"qz_in_{qid}")


@pytest.fixture
def quiz():
    return open_page(PAGE)


def test_page_is_in_the_navigation_under_check_yourself():
    info = page_by_path(PAGE)
    assert info is not None and info.section == "Check yourself" and info.problem == ""


def test_renders_with_an_empty_score_and_next_walks_through_every_question(quiz):
    bank = question_bank()
    assert [t.value for t in quiz.title] == ["Check yourself"]
    assert metrics(quiz) == {"Right": 0, "Wrong": 0, "Skipped": 0, "Still open": len(bank)}
    assert quiz.pills(key="qz_jump").options == [str(i) for i in range(1, len(bank) + 1)]
    assert quiz.button(key="qz_prev").disabled
    for number, q in enumerate(bank, start=1):
        text = all_text(quiz)
        assert f"**Question {number} of {len(bank)}** · {TOPIC_LABELS[q.topic]}" in text
        assert q.prompt in text
        assert inputs_of(quiz, q.id) == 1
        if number < len(bank):
            quiz.button(key="qz_next").click()
            quiz.run()
    assert quiz.button(key="qz_next").disabled
    quiz.button(key="qz_prev").click()
    quiz.run()
    assert bank[-2].prompt in all_text(quiz)
    assert f"0 of {len(bank)} answered · score 0 / {len(bank)}" in quiz.get("progress")[0].proto.text
    assert len(bank) >= 12 and {q.topic for q in bank} >= {"bottleneck", "reordering", "speed", "self-attention",
                                                           "multi-head"}


def test_right_numeric_answer_with_the_number_computed_by_attention_core(quiz):
    share = 100 * softmax(np.array([2.0, 1.0, 0.0]))[0]  # the question's own numbers, computed here directly
    answer(quiz, "self-softmax", f"{share:.1f}")
    assert [s.value for s in quiz.success] == [f"Your answer `{share:.1f}`: right."]
    assert f"{share:.1f}%" in all_text(quiz)  # the explanation quotes the computed share
    assert metrics(quiz)["Right"] == 1 and metrics(quiz)["Still open"] == len(question_bank()) - 1
    assert inputs_of(quiz, "self-softmax") == 0, "an answered question is locked"


def test_wrong_numeric_answer_shows_the_right_one(quiz):
    res = scaled_dot_product_attention(np.array([[1.0]]), np.array([[1.0], [0.0]]), np.array([[1.0], [0.0]]),
                                       scale=1.0, temperature=0.5)
    right = 100 * res.weights[0, 0]
    answer(quiz, "math-temperature", "50")
    errors = [e.value for e in quiz.error]
    assert errors == [f"Your answer `50`: not quite: the answer is {right:.1f}%."]
    assert metrics(quiz)["Wrong"] == 1 and metrics(quiz)["Right"] == 0


def test_typed_fraction_for_a_percentage_counts(quiz):
    answer(quiz, "self-softmax", f"{softmax(np.array([2.0, 1.0, 0.0]))[0]:.3f}")
    assert metrics(quiz)["Right"] == 1


@pytest.mark.parametrize("typed", ["abc", "", "nan", "[click](http://example.com)", "<b>7</b>"])
def test_non_number_gets_a_message_and_is_not_an_attempt(quiz, typed):
    answer(quiz, "speed-pairs", typed)
    warnings = [w.value for w in quiz.warning]
    assert len(warnings) == 1
    assert "number" in warnings[0].lower()
    if typed.strip():
        assert warnings[0].startswith("`"), "the learner's text is shown as code, never as live Markdown"
    assert metrics(quiz)["Still open"] == len(question_bank()), "a non-number does not count"
    assert inputs_of(quiz, "speed-pairs") == 1, "the question can still be answered"
    # then a real answer clears the message
    answer(quiz, "speed-pairs", str(300 * 300))
    assert not quiz.warning and metrics(quiz)["Right"] == 1


def test_choice_right_and_wrong(quiz):
    q = question_by_id("self-qkv")
    answer(quiz, q.id, q.answer)
    assert metrics(quiz)["Right"] == 1
    q2 = question_by_id("math-causal")
    allowed = np.flatnonzero(causal_mask(5)[2]) + 1  # word 3 of 5 may see words 1..3
    wrong = next(i for i, o in enumerate(q2.options) if o != f"Words {allowed[0]} to {allowed[-1]}")
    answer(quiz, q2.id, wrong)
    assert metrics(quiz) == {"Right": 1, "Wrong": 1, "Skipped": 0, "Still open": len(question_bank()) - 2}
    assert any(f"the answer is Words {allowed[0]} to {allowed[-1]}." in e.value for e in quiz.error)


def test_checking_without_choosing_asks_to_pick(quiz):
    goto(quiz, "self-qkv")
    quiz.button(key="qz_check_self-qkv").click()
    quiz.run()
    assert [w.value for w in quiz.warning] == ["Pick one of the options first."]
    assert metrics(quiz)["Still open"] == len(question_bank())


def test_skip_shows_the_answer_and_counts_as_skipped(quiz):
    q = question_by_id("multi-head-params")
    goto(quiz, q.id)
    quiz.button(key=f"qz_skip_{q.id}").click()
    quiz.run()
    assert metrics(quiz)["Skipped"] == 1
    assert [i.value for i in quiz.info] == [f"Skipped. The answer: **{4 * 64 * 64:,}**"]
    assert inputs_of(quiz, q.id) == 0


def test_answering_twice_keeps_the_first_answer(quiz):
    answer(quiz, "math-sqrt-d", "7")
    assert metrics(quiz)["Wrong"] == 1
    # The form is gone, so a second answer cannot be typed; a stale second submission is ignored as well.
    assert inputs_of(quiz, "math-sqrt-d") == 0
    assert not any(b.key == "qz_check_math-sqrt-d" for b in quiz.button)
    quiz.run()
    assert metrics(quiz) == {"Right": 0, "Wrong": 1, "Skipped": 0, "Still open": len(question_bank()) - 1}


def test_start_over_mid_quiz_clears_answers_and_inputs(quiz):
    answer(quiz, "math-sqrt-d", "8")
    goto(quiz, "math-position")
    quiz.text_input(key="qz_in_math-position").input("0.8")  # typed but not yet checked
    quiz.run()
    answer(quiz, "speed-pairs", "oops")  # leaves a notice behind
    quiz.button(key="qz_reset").click()
    quiz.run()
    assert not quiz.exception
    assert metrics(quiz) == {"Right": 0, "Wrong": 0, "Skipped": 0, "Still open": len(question_bank())}
    assert question_bank()[0].prompt in all_text(quiz), "back to the first question"
    assert not quiz.warning
    goto(quiz, "math-sqrt-d")
    assert quiz.text_input(key="qz_in_math-sqrt-d").value == ""
    goto(quiz, "math-position")
    assert quiz.text_input(key="qz_in_math-position").value == ""


def test_topic_filter_is_shared_through_the_url():
    at = open_page(PAGE, query={"topic": "multi-head"})
    ids = [q.id for q in question_bank() if q.topic == "multi-head"]
    assert at.selectbox(key="qz_topic").value == "multi-head"
    assert metrics(at)["Still open"] == len(ids)
    assert at.pills(key="qz_jump").options == [str(i) for i in range(1, len(ids) + 1)]
    assert question_by_id(ids[0]).prompt in all_text(at)
    at.selectbox(key="qz_topic").set_value("speed")
    at.run()
    assert at.query_params["topic"] == ["speed"] or at.query_params["topic"] == "speed"


def test_unknown_topic_in_the_url_falls_back_to_every_question():
    at = open_page(PAGE, query={"topic": "<script>"})
    assert at.selectbox(key="qz_topic").value == "all"
    assert metrics(at)["Still open"] == len(question_bank())


def test_finishing_a_topic_shows_the_result_and_what_to_revisit():
    at = open_page(PAGE, query={"topic": "speed"})
    answer(at, "speed-pairs", "90,000")
    q = question_by_id("speed-sequential")
    answer(at, q.id, (q.answer + 1) % len(q.options))
    assert "You got **1 of 2** right (" + pct(1 / 2) + ")." in all_text(at)
    links = [link.proto.label for link in at.get("page_link")]
    info = page_by_path("pages/speed.py")
    if info is not None:  # the speed page has joined the navigation
        assert "Revisit the demo: Speed" in links and "Speed" in links


def test_answered_question_points_to_the_doc_section(quiz):
    answer(quiz, "math-position", "0.841")
    q = question_by_id("math-position")
    title = section_title(q.section)
    assert title and any(f"#{q.section}" in c.value and f"section “{title}”" in c.value for c in quiz.caption)


def test_every_topic_has_a_label_and_every_question_somewhere_to_revisit():
    from tests.docs.test_deep_dive import heading_anchors

    assert list(TOPIC_LABELS) == list(TOPICS)
    for topic, path in DEMO_PAGES.items():
        assert topic in TOPICS and demo_page(topic) == page_by_path(path) and demo_page(topic) is not None, topic
    for q in question_bank():
        assert q.topic in DEMO_PAGES or q.section, f"{q.id} points nowhere to revisit"
        if q.section:
            assert heading_anchors("## " + section_title(q.section)) == {q.section}, (q.id, q.section)


def test_pills_mark_each_question_state(quiz):
    answer(quiz, "bottleneck-jacobian", "0.107")
    answer(quiz, "bottleneck-spectral", 0)  # wrong: the answer is "It shrinks exponentially"
    goto(quiz, "reordering-can")
    quiz.button(key="qz_skip_reordering-can").click()
    quiz.run()
    options = quiz.pills(key="qz_jump").options
    assert options[:5] == ["1", "2 ✓", "3 ✗", "4 –", "5"]


def test_unselecting_the_current_pill_stays_on_the_question(quiz):
    goto(quiz, "speed-pairs")
    quiz.pills(key="qz_jump").set_value(None)
    quiz.run()
    assert not quiz.exception
    assert question_by_id("speed-pairs").prompt in all_text(quiz)


def test_every_question_can_be_answered_right_through_the_page():
    at = open_page(PAGE)
    for q in question_bank():
        answer(at, q.id, q.answer if q.kind == "choice" else q.answer_text)
    n = len(question_bank())
    assert metrics(at) == {"Right": n, "Wrong": 0, "Skipped": 0, "Still open": 0}
    assert f"You got **{n} of {n}** right (100%)." in all_text(at)


def test_a_wrong_answer_can_be_tried_again_and_the_others_stay(quiz):
    """'Try again' on a wrong answer clears that answer only; the others stay ('Start over' erases them all)."""
    answer(quiz, "self-softmax", f"{softmax(np.array([2.0, 1.0, 0.0]))[0]:.3f}")
    answer(quiz, "math-temperature", "50")
    assert metrics(quiz)["Wrong"] == 1
    quiz.button(key="qz_retry_math-temperature").click().run()
    assert metrics(quiz)["Wrong"] == 0 and metrics(quiz)["Right"] == 1
    assert inputs_of(quiz, "math-temperature") == 1 and not quiz.error
    res = scaled_dot_product_attention(np.array([[1.0]]), np.array([[1.0], [0.0]]), np.array([[1.0], [0.0]]),
                                       scale=1.0, temperature=0.5)
    answer(quiz, "math-temperature", f"{100 * res.weights[0, 0]:.1f}")
    assert metrics(quiz)["Right"] == 2 and metrics(quiz)["Wrong"] == 0


def test_the_math_pointer_is_a_link_to_the_math_page_section(quiz):
    """The section pointer is a real link (the Math page opens that section)."""
    q = question_by_id("math-temperature")
    answer(quiz, q.id, "50")
    links = [link.proto for link in quiz.get("page_link")]
    assert any(link.label == f"The math to revisit: {section_title(q.section)}" and link.page.endswith("math")
               and f"section={q.section}" in link.query_string for link in links), links


def test_a_shared_link_carries_the_question_and_position_never_the_answers():
    at = open_page(PAGE)
    answer(at, "self-softmax", f"{softmax(np.array([2.0, 1.0, 0.0]))[0]:.3f}")
    answer(at, "math-temperature", "50")
    assert "answers" not in at.query_params
    assert all("softmax" not in str(v) and str(v) != "50" for v in at.query_params.values())
    link = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert set(link) <= {"topic", "q"}
    opened = open_page(PAGE, link)  # a classmate opens the teacher's link: a fresh quiz, on the same question
    assert metrics(opened)["Still open"] == len(question_bank())
    assert opened.session_state["qz_pos"] == int(link["q"]) - 1
    old = open_page(PAGE, {"answers": '{"self-softmax": 0.665}'})  # an old link with answers: dropped
    assert metrics(old)["Still open"] == len(question_bank()) and "answers" not in old.query_params
    for junk in ("abc", "0", "999", "-1"):
        assert open_page(PAGE, {"q": junk}).session_state["qz_pos"] == 0
